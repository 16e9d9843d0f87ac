package dev.ioengine.leaks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves a test class out of {@link LeakCheckExtension}'s after-class check, for a class that keeps something on
 * purpose beyond its own end (a JVM-wide engine it cannot close). The reason is required and shown in the report:
 * keep these few. Prefer {@link JvmWideResources#adopt} where the class can say which resources are JVM-wide.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LeakCheckExempt {
    /** Why this class's resources outlive it. */
    String value();
}
