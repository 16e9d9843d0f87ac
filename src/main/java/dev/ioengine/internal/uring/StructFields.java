package dev.ioengine.internal.uring;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a C struct member by its C name, looking through anonymous unions and structs the way C does
 * ({@code sqe->off} is a member of an unnamed union inside {@code struct io_uring_sqe}). The struct classes
 * derive their VarHandles and offsets here, so no offset is typed by hand.
 */
final class StructFields {
    private StructFields() {
    }

    /**
     * A VarHandle with coordinates (segment, base offset) for member {@code name}, exact invocation;
     * {@code then} continues the path inside the member (an array element, say).
     */
    static VarHandle varHandle(GroupLayout struct, String name, PathElement... then) {
        List<PathElement> path = new ArrayList<>(List.of(path(struct, name)));
        path.addAll(List.of(then));
        return struct.varHandle(path.toArray(PathElement[]::new)).withInvokeExactBehavior();
    }

    /** The byte offset of member {@code name}. */
    static long offset(GroupLayout struct, String name) {
        return struct.byteOffset(path(struct, name));
    }

    private static PathElement[] path(GroupLayout struct, String name) {
        List<PathElement> path = new ArrayList<>();
        if (!find(struct, name, path)) {
            throw new IllegalArgumentException(struct.name().orElse("struct") + " has no member " + name);
        }
        return path.toArray(PathElement[]::new);
    }

    private static boolean find(GroupLayout group, String name, List<PathElement> path) {
        List<MemoryLayout> members = group.memberLayouts();
        for (int i = 0; i < members.size(); i++) {
            MemoryLayout member = members.get(i);
            if (member.name().filter(name::equals).isPresent()) {
                path.add(PathElement.groupElement(i));
                return true;
            }
            if (member instanceof GroupLayout inner && member.name().isEmpty()) {
                path.add(PathElement.groupElement(i));
                if (find(inner, name, path)) {
                    return true;
                }
                path.removeLast();
            }
        }
        return false;
    }
}
