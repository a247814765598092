package io.collemu.results;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A results file (CSV) that cannot be read back. The message is one line naming the file, the line and, when
 * known, the field; the command line maps it to exit code 2.
 */
public final class MalformedResultsFileException extends IOException {

    private final transient Path file;
    private final int line;
    private final String field;

    /**
     * @param file   the file read
     * @param line   1-based line number, 0 when the whole file is at fault
     * @param field  column name, or null
     * @param detail what is wrong, one line
     */
    public MalformedResultsFileException(Path file, int line, String field, String detail) {
        super(file + (line > 0 ? " line " + line : "") + (field != null ? ", field " + field : "") + ": "
            + detail.replace('\n', ' '));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** @return the file that could not be read */
    public Path file() {
        return file;
    }

    /** @return 1-based line number, 0 when the whole file is at fault */
    public int line() {
        return line;
    }

    /** @return the column at fault, or null */
    public String field() {
        return field;
    }
}
