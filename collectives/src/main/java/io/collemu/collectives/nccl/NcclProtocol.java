package io.collemu.collectives.nccl;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * NCCL's three protocols in NCCL's order ({@code NCCL_PROTO_LL} 0, {@code NCCL_PROTO_LL128} 1,
 * {@code NCCL_PROTO_SIMPLE} 2; NVIDIA/nccl v2.30.7-1, src/include/plugin/nccl_tuner.h:27-59), with their
 * wire formats:
 * <ul>
 *   <li>LL: {@code union ncclLLFifoLine} is 16 B of data1, flag1, data2, flag2 carrying 8 B of data
 *       (src/include/device.h:75-88);</li>
 *   <li>LL128: 128-byte lines of 16 {@code uint64_t}, one of which is the flag, so 120 B of data per line
 *       ({@code NCCL_LL128_LINESIZE}, {@code NCCL_LL128_DATAELEMS}, device.h:110-112);</li>
 *   <li>Simple: data only, the flags live in separate head/tail counters.</li>
 * </ul>
 * Names as NCCL prints them ({@code ncclProtoStr}, src/init.cc:55).
 *
 * <p>Stateless enum; thread-safe.
 */
public enum NcclProtocol {
    /** Low latency: 8 data bytes per 16-byte line, a flag with every 4 bytes. */
    LL("LL", 16, 8),
    /** Low latency, 128-byte lines: 120 data bytes per 128-byte line. */
    LL128("LL128", 128, 120),
    /** Plain copies with separate synchronisation: every byte on the wire is data. */
    SIMPLE("Simple", 1, 1);

    private final String cliName;
    private final int lineBytes;
    private final int dataBytesPerLine;

    NcclProtocol(String cliName, int lineBytes, int dataBytesPerLine) {
        this.cliName = cliName;
        this.lineBytes = lineBytes;
        this.dataBytesPerLine = dataBytesPerLine;
    }

    /** @return NCCL's id: LL 0, LL128 1, Simple 2 */
    public int id() {
        return ordinal();
    }

    /** @return the name as NCCL prints it: {@code LL}, {@code LL128}, {@code Simple} */
    public String cliName() {
        return cliName;
    }

    /**
     * Bytes this protocol puts on the wire to carry {@code dataBytes} of payload: whole lines, the last one
     * padded (LL: {@code ceil(d / 8) * 16}; LL128: {@code ceil(d / 120) * 128}; Simple: {@code d}).
     *
     * @param dataBytes payload bytes, at least 0
     */
    public long wireBytes(long dataBytes) {
        if (dataBytes < 0) {
            throw new IllegalArgumentException("dataBytes must be >= 0, got " + dataBytes);
        }
        long lines = (dataBytes + dataBytesPerLine - 1) / dataBytesPerLine;
        return lines * lineBytes;
    }

    /** @return the protocol with NCCL id {@code id} (0..2) */
    public static NcclProtocol fromId(int id) {
        NcclProtocol[] all = values();
        if (id < 0 || id >= all.length) {
            throw new IllegalArgumentException("protocol id must be 0..2, got " + id);
        }
        return all[id];
    }

    /**
     * Parses a protocol name as NCCL_PROTO spells it, in any case ({@code ll}, {@code LL128}, {@code simple}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static NcclProtocol fromName(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (NcclProtocol p : values()) {
                if (p.cliName.toLowerCase(Locale.ROOT).equals(key)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown NCCL protocol '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(NcclProtocol::cliName).collect(Collectors.joining(", ")));
    }
}
