package io.streamgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verdict rules every instance applies to the idempotency log, in log order. */
class KeyStateTest {
    private static final long PENDING = 60_000;
    private static final long WINDOW = 3_600_000;

    private static KeyState replay(Object... timesAndRecords) {
        KeyState state = null;
        for (int i = 0; i < timesAndRecords.length; i += 2) {
            state = KeyState.apply(state, (LogRecord) timesAndRecords[i + 1], (Long) timesAndRecords[i], PENDING,
                    WINDOW);
        }
        return state;
    }

    @Test
    void theFirstClaimOwnsTheKeyAndLaterClaimsFollow() {
        KeyState state = replay(0L, LogRecord.claim("a", "f"), 5L, LogRecord.claim("b", "f"));
        assertThat(state.owner).isEqualTo("a");
        assertThat(state.phase).isEqualTo(KeyState.Phase.PENDING);
    }

    @Test
    void onlyTheOwnersResultCounts() {
        KeyState state = replay(0L, LogRecord.claim("a", "f"), 1L, LogRecord.claim("b", "f"),
                2L, LogRecord.result("b", 201, new byte[] {1}));
        assertThat(state.phase).isEqualTo(KeyState.Phase.PENDING);
        state = KeyState.apply(state, LogRecord.result("a", 201, new byte[] {2}), 3L, PENDING, WINDOW);
        assertThat(state.phase).isEqualTo(KeyState.Phase.DONE);
        assertThat(state.body).containsExactly(2);
    }

    @Test
    void aReleasedKeyGoesToTheNextClaimInLogOrder() {
        KeyState state = replay(0L, LogRecord.claim("a", "f"), 1L, LogRecord.claim("b", "f"),
                2L, LogRecord.release("a"), 3L, LogRecord.claim("c", "g"));
        assertThat(state.owner).isEqualTo("c");
        assertThat(state.fingerprint).isEqualTo("g");
    }

    @Test
    void aClaimPendingLongerThanThePendingTimeoutIsTakenOver() {
        assertThat(replay(0L, LogRecord.claim("a", "f"), PENDING, LogRecord.claim("b", "f")).owner)
                .isEqualTo("a");
        assertThat(replay(0L, LogRecord.claim("a", "f"), PENDING + 1, LogRecord.claim("b", "f")).owner)
                .isEqualTo("b");
    }

    @Test
    void aDoneKeyIsNeverTakenOverWithinTheWindowButIsAfterIt() {
        KeyState done = replay(0L, LogRecord.claim("a", "f"), 10L, LogRecord.result("a", 201, new byte[0]));
        assertThat(KeyState.apply(done, LogRecord.claim("b", "f"), WINDOW, PENDING, WINDOW).owner).isEqualTo("a");
        assertThat(KeyState.apply(done, LogRecord.claim("c", "f"), WINDOW + 1, PENDING, WINDOW).owner)
                .isEqualTo("c");
    }

    @Test
    void recordsSurviveTheirEncoding() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        LogRecord result = LogRecord.decode(json, LogRecord.result("a", 201, "[{\"id\":\"x\"}]".getBytes())
                .encode(json));
        assertThat(result.kind()).isEqualTo(LogRecord.Kind.RESULT);
        assertThat(new String(result.body())).isEqualTo("[{\"id\":\"x\"}]");
        assertThat(LogRecord.decode(json, "not json".getBytes())).isNull();
        assertThat(LogRecord.decode(json, LogRecord.claim("c", "fp").encode(json)).fingerprint()).isEqualTo("fp");
    }
}
