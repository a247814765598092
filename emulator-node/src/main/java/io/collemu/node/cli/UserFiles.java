package io.collemu.node.cli;

import io.collemu.node.run.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file the user named (a topology, a profile) once, as UTF-8 text, refusing up front what cannot be one:
 * a missing file, a directory, a named pipe or device (which would block), a file too large, unreadable, or not
 * UTF-8 text. Every refusal is one line naming the flag and the file.
 */
final class UserFiles {
    /** The largest input file: far above any real topology or profile, far below what would strain the heap. */
    static final long MAX_BYTES = 16L << 20;

    private UserFiles() {
    }

    /** The text of {@code file}, given with {@code flag}. */
    static String readText(Path file, String flag) {
        if (!Files.exists(file)) {
            throw new UserError(flag + ": " + file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UserError(flag + ": " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(flag + ": " + file + " is not a regular file (a pipe or a device?)");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new UserError(flag + ": " + file + " is " + size + " bytes; the limit is " + MAX_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(flag + ": " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(flag + ": cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new UserError(flag + ": cannot read " + file + ": " + e.getMessage());
        }
        return decode(bytes, file, flag);
    }

    private static String decode(byte[] bytes, Path file, String flag) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = d.decode(ByteBuffer.wrap(bytes)).toString();
            int nul = text.indexOf('\0');
            if (nul >= 0) {
                throw new UserError(flag + ": " + file + " is not text (a NUL character at offset " + nul + ")");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new UserError(flag + ": " + file + " is not UTF-8 text (" + e.getMessage() + ")");
        }
    }
}
