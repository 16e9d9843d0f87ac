package dev.ioengine.leaks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves native memory (only) out of {@link LeakCheckExtension}'s check of a test class, whose growth is known and
 * not io-engine's; descriptors, threads and ring mappings are still checked. The growth is still recorded in
 * {@code target/leak-check/classes.tsv}. The reason is required: keep these few.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NativeMemoryGrowthAllowed {
    /** Why this class's native memory grows, and why that is not io-engine's leak. */
    String value();
}
