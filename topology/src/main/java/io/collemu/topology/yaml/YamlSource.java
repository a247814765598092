package io.collemu.topology.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Reads the text of a YAML input file, refusing what is not one BEFORE opening it: a directory, a named pipe or
 * device (opening a FIFO would block forever), a file larger than {@link YamlLimits#maxDocumentBytes()}; then
 * refuses bytes that are not UTF-8, naming the first bad byte. Symbolic links are followed. Every problem is a
 * one-line message through {@link YamlErrors#input}, in the user's terms ("permission denied", "is a
 * directory"), never a library's. Stateless; thread-safe.
 */
public final class YamlSource {
    private YamlSource() {
    }

    /** @return the file's text, a leading byte-order mark removed */
    public static String read(Path file, YamlLimits limits, YamlErrors errors) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw errors.input(ioProblem(file, e, limits));
        }
        if (a.isDirectory()) {
            throw errors.input(file + ": is a directory, not a " + limits.label());
        }
        if (!a.isRegularFile()) {
            throw errors.input(file + ": is not a regular file (a named pipe, device or socket), not a "
                    + limits.label());
        }
        if (a.size() > limits.maxDocumentBytes()) {
            throw errors.input(tooLarge(file.toString(), a.size(), limits));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) limits.maxDocumentBytes() + 1);
        } catch (IOException e) {
            throw errors.input(ioProblem(file, e, limits));
        }
        if (bytes.length > limits.maxDocumentBytes()) {
            throw errors.input(tooLarge(file.toString(), bytes.length, limits));
        }
        return decode(bytes, file.toString(), errors);
    }

    /** The message for an input over the size limit. */
    static String tooLarge(String file, long sizeBytes, YamlLimits limits) {
        return file + ": is " + mib(sizeBytes) + ", more than the " + mib(limits.maxDocumentBytes()) + " a "
                + limits.label() + " may have";
    }

    /** An I/O failure in words: not found, permission denied, or the system's reason. */
    static String ioProblem(Path file, IOException e, YamlLimits limits) {
        if (e instanceof NoSuchFileException) {
            return limits.label() + " not found: " + file;
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read " + file + ": permission denied";
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
        return "cannot read " + file + ": " + (reason == null ? e.getClass().getSimpleName() : reason);
    }

    /** Strict UTF-8: the first malformed byte is named with its offset and line. */
    private static String decode(byte[] bytes, String file, YamlErrors errors) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw errors.input(file + ": is not UTF-8 text (byte " + at + ", on line " + line + ", is 0x"
                    + String.format(Locale.ROOT, "%02X", bytes[at] & 0xFF) + ")");
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String mib(long bytes) {
        if (bytes < (1L << 20)) {
            return bytes + " bytes";
        }
        double m = bytes / (double) (1L << 20);
        return String.format(Locale.ROOT, m == Math.rint(m) ? "%.0f MiB" : "%.1f MiB", m);
    }
}
