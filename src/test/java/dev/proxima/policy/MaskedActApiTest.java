package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** /act honours action masks: a masked action is never returned; a mask allowing nothing is a 422. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MaskedActApiTest {

    @LocalServerPort
    int port;

    @Test
    void actNeverReturnsAMaskedAction() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"environment":{"id":"GridMaze-v0","numEnvs":2},"totalTimesteps":512,"seed":1,
                 "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");

        double[] start = new double[25];
        start[0] = 1.0;
        String observation = java.util.Arrays.toString(start);
        for (int i = 0; i < 50; i++) {
            Api.Response sampled = api.post("/api/policies/" + id + "/act",
                    "{\"observation\":" + observation + ",\"actionMask\":[false,false,true,false]}");
            assertThat(sampled.status()).isEqualTo(200);
            assertThat(sampled.body().get("action").asInt()).isEqualTo(2);
        }
        Api.Response batch = api.post("/api/policies/" + id + "/act", "{\"observations\":[" + observation + ","
                + observation + "],\"actionMasks\":[[true,false,false,false],[false,false,false,true]],"
                + "\"deterministic\":true}");
        assertThat(batch.body().get("actions").get(0).asInt()).isEqualTo(0);
        assertThat(batch.body().get("actions").get(1).asInt()).isEqualTo(3);

        Api.Response none = api.post("/api/policies/" + id + "/act",
                "{\"observation\":" + observation + ",\"actionMask\":[false,false,false,false]}");
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.body().get("field").asText()).isEqualTo("actionMask");
        Api.Response shortMask = api.post("/api/policies/" + id + "/act",
                "{\"observation\":" + observation + ",\"actionMask\":[true,false]}");
        assertThat(shortMask.status()).isEqualTo(422);
        Api.Response wrongCount = api.post("/api/policies/" + id + "/act", "{\"observations\":[" + observation
                + "],\"actionMasks\":[[true,true,true,true],[true,true,true,true]]}");
        assertThat(wrongCount.status()).isEqualTo(422);
        assertThat(wrongCount.body().get("field").asText()).isEqualTo("actionMasks");
    }
}
