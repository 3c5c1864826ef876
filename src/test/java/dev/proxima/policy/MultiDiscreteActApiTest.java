package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A job on DiagonalMaze-v0 (MultiDiscrete([3, 3])): /act answers integer arrays and honours per-dimension masks. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MultiDiscreteActApiTest {

    @LocalServerPort
    int port;

    private static final String START;

    static {
        double[] start = new double[25];
        start[0] = 1.0;
        START = Arrays.toString(start);
    }

    @Test
    void actReturnsOneIntegerPerDimensionWithinTheMask() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"environment":{"id":"DiagonalMaze-v0","numEnvs":2},"totalTimesteps":512,"seed":1,
                 "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        String act = "/api/policies/" + id + "/act";

        Api.Response unmasked = api.post(act, "{\"observation\":" + START + "}");
        assertThat(unmasked.status()).isEqualTo(200);
        assertValidAction(unmasked.body().get("action"));
        JsonNode batch = api.post(act, "{\"observations\":[" + START + "," + START + "],\"deterministic\":true}")
                .body().get("actions");
        assertThat(batch).hasSize(2);
        batch.forEach(MultiDiscreteActApiTest::assertValidAction);

        // row move: only +1; column move: only -1
        String mask = "[false,false,true,true,false,false]";
        for (int i = 0; i < 30; i++) {
            Api.Response masked = api.post(act, "{\"observation\":" + START + ",\"actionMask\":" + mask + "}");
            assertThat(masked.status()).isEqualTo(200);
            assertThat(ints(masked.body().get("action"))).containsExactly(2, 0);
        }
        JsonNode details = api.post(act, "{\"observation\":" + START + ",\"actionMask\":[true,true,false,true,true,true],"
                + "\"includeDetails\":true}").body().get("details");
        double[] probabilities = doubles(details.get("probabilities"));
        assertThat(probabilities).hasSize(6);
        assertThat(probabilities[2]).isZero();
        assertThat(probabilities[0] + probabilities[1]).isCloseTo(1.0, within(1e-9));
        assertThat(probabilities[3] + probabilities[4] + probabilities[5]).isCloseTo(1.0, within(1e-9));
    }

    private static void assertValidAction(JsonNode action) {
        assertThat(action.isArray()).as("an array: %s", action).isTrue();
        assertThat(action).hasSize(2);
        action.forEach(choice -> {
            assertThat(choice.isInt()).as("an integer: %s", choice).isTrue();
            assertThat(choice.asInt()).isBetween(0, 2);
        });
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
