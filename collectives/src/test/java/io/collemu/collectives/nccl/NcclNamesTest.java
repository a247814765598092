package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Protocols, algorithms and functions: NCCL's ids, names and wire formats. */
class NcclNamesTest {

    @ParameterizedTest(name = "{0}: {1} B of data -> {2} B on the wire")
    @CsvSource({
        "LL, 0, 0", "LL, 1, 16", "LL, 8, 16", "LL, 9, 32", "LL, 1048576, 2097152",
        "LL128, 1, 128", "LL128, 120, 128", "LL128, 121, 256", "LL128, 1048576, 1118592",
        "SIMPLE, 0, 0", "SIMPLE, 1, 1", "SIMPLE, 1048576, 1048576",
    })
    void shouldPadToWholeProtocolLines(NcclProtocol p, long data, long wire) {
        assertEquals(wire, p.wireBytes(data));
    }

    @Test
    void shouldNumberAndNameLikeNccl() {
        assertEquals("[LL, LL128, Simple]",
                Arrays.toString(Arrays.stream(NcclProtocol.values()).map(NcclProtocol::cliName).toArray()));
        assertEquals("[Tree, Ring, CollNetDirect, CollNetChain, NVLS, NVLSTree, PAT]",
                Arrays.toString(Arrays.stream(NcclAlgorithm.values()).map(NcclAlgorithm::cliName).toArray()));
        assertEquals("[Broadcast, Reduce, AllGather, ReduceScatter, AllReduce]",
                Arrays.toString(Arrays.stream(NcclFunction.values()).map(NcclFunction::cliName).toArray()));
        assertEquals(6, NcclAlgorithm.PAT.id());
        assertEquals(2, NcclProtocol.SIMPLE.id());
        assertEquals(4, NcclFunction.ALL_REDUCE.id());
        assertEquals(7, PathType.PXN.id());
        assertTrue(PathType.P2C.atMost(PathType.PXN), "P2C (6) < PXN (7) in this release");
    }

    @ParameterizedTest
    @EnumSource(NcclAlgorithm.class)
    void shouldParseAlgorithmNamesInAnyCase(NcclAlgorithm a) {
        assertEquals(a, NcclAlgorithm.fromName(a.cliName().toUpperCase(java.util.Locale.ROOT)));
        assertEquals(a, NcclAlgorithm.fromId(a.id()));
    }

    @ParameterizedTest
    @EnumSource(NcclProtocol.class)
    void shouldParseProtocolNamesInAnyCase(NcclProtocol p) {
        assertEquals(p, NcclProtocol.fromName(" " + p.cliName().toLowerCase(java.util.Locale.ROOT)));
        assertEquals(p, NcclProtocol.fromId(p.id()));
    }

    @Test
    void shouldRejectUnknownNamesNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NcclProtocol.fromName("LL64"));
        assertTrue(e.getMessage().contains("LL, LL128, Simple"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NcclAlgorithm.fromName("butterfly"));
        assertThrows(IllegalArgumentException.class, () -> NcclAlgorithm.fromId(7));
    }

    @Test
    void shouldLeavePointToPointKindsOutOfTheModel() {
        assertEquals(Optional.of(NcclFunction.ALL_REDUCE), NcclFunction.of(CollectiveKind.ALL_REDUCE));
        assertEquals(Optional.of(NcclFunction.REDUCE_SCATTER), NcclFunction.of(CollectiveKind.REDUCE_SCATTER));
        assertEquals(Optional.empty(), NcclFunction.of(CollectiveKind.ALL_TO_ALL));
        assertEquals(Optional.empty(), NcclFunction.of(CollectiveKind.ALL_TO_ALL_V));
        assertEquals(Optional.empty(), NcclFunction.of(CollectiveKind.SEND_RECV));
        NcclTuner t = new NcclTuner(NcclAssert.workedExample());
        assertEquals(Optional.empty(), t.chooseForTestSize(CollectiveKind.ALL_TO_ALL, 1 << 20, 4));
        assertEquals(NcclAlgorithm.TREE, t.chooseForTestSize(CollectiveKind.ALL_REDUCE, 1 << 20, 4).orElseThrow()
                .algorithm());
    }

    @ParameterizedTest(name = "{0} size {1} B, {2}-byte elements, {3} ranks -> NCCL nBytes {4}")
    @CsvSource({
        "ALL_REDUCE, 1048576, 4, 16, 1048576",
        "ALL_REDUCE, 1001, 4, 16, 1000",
        "BROADCAST, 1048576, 4, 16, 1048576",
        "ALL_GATHER, 1048576, 4, 16, 1048576",
        "REDUCE_SCATTER, 1048576, 4, 16, 1048576",
        "ALL_GATHER, 1000, 4, 16, 768",
        "REDUCE_SCATTER, 1000, 2, 3, 960",
        "ALL_GATHER, 8, 4, 16, 0",
    })
    void shouldTurnAnNcclTestsSizeIntoNcclBytes(NcclFunction f, long size, int elem, int ranks, long nBytes) {
        assertEquals(nBytes, f.ncclBytesOfTestSize(size, elem, ranks));
        assertEquals(nBytes / (f.isGatherOrScatter() ? ranks : 1), f.countBytes(nBytes, ranks));
    }
}
