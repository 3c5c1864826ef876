package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** /act with includeDetails: value, log-probability and distribution, for discrete and Box policies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActDetailsApiTest {

    @LocalServerPort
    int port;

    @Test
    void discreteDetailsAreConsistentAndRespectTheMask() throws Exception {
        Api api = new Api(port);
        String id = train(api, "CartPole-v1");
        JsonNode response = api.post("/api/policies/" + id + "/act", """
                {"observation":[0.01,0.2,-0.03,-0.3],"deterministic":true,"includeDetails":true,
                 "actionMask":[true,false]}""").body();
        JsonNode details = response.get("details");
        assertThat(response.get("action").asInt()).isZero();
        assertThat(details.get("probabilities").get(1).asDouble()).isZero();
        assertThat(details.get("probabilities").get(0).asDouble()).isEqualTo(1.0);
        assertThat(details.get("logProb").asDouble()).isCloseTo(0.0, within(1e-9));
        assertThat(details.get("value").isNumber()).isTrue();

        JsonNode batch = api.post("/api/policies/" + id + "/act", """
                {"observations":[[0.01,0.2,-0.03,-0.3],[0,0,0,0]],"includeDetails":true}""").body();
        assertThat(batch.get("details")).hasSize(2);
        JsonNode second = batch.get("details").get(1);
        double p0 = second.get("probabilities").get(0).asDouble();
        double p1 = second.get("probabilities").get(1).asDouble();
        assertThat(p0 + p1).isCloseTo(1.0, within(1e-9));
        double chosen = batch.get("actions").get(1).asInt() == 0 ? p0 : p1;
        assertThat(second.get("logProb").asDouble()).isCloseTo(Math.log(chosen), within(1e-6));
    }

    @Test
    void boxDetailsGiveTheGaussianAndTheActionIsClipped() throws Exception {
        Api api = new Api(port);
        String id = train(api, "Pendulum-v1");
        JsonNode response = api.post("/api/policies/" + id + "/act", """
                {"observation":[1.0,0.0,0.5],"deterministic":true,"includeDetails":true}""").body();
        JsonNode details = response.get("details");
        double mean = details.get("mean").get(0).asDouble();
        assertThat(details.get("std").get(0).asDouble()).isPositive();
        assertThat(response.get("action").get(0).asDouble()).isEqualTo(Math.max(-2.0, Math.min(2.0, mean)));
        double std = details.get("std").get(0).asDouble();
        // the mode's log-density: -log(std) - 0.5 log(2 pi)
        assertThat(details.get("logProb").asDouble())
                .isCloseTo(-Math.log(std) - 0.5 * Math.log(2 * Math.PI), within(1e-5));
    }

    private static String train(Api api, String environment) throws InterruptedException {
        String id = api.post("/api/jobs", "{\"environment\":{\"id\":\"" + environment + "\"},\"totalTimesteps\":128,"
                + "\"hyperparameters\":{\"nSteps\":64,\"batchSize\":64,\"nEpochs\":1}}").body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        return id;
    }
}
