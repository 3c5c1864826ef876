package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** rl-zoo-style evaluations of a checkpoint on the server, stored and listed with the job. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvaluationApiTest {

    @LocalServerPort
    int port;

    @Test
    void anEvaluationPlaysWholeEpisodesReproduciblyAndIsStored() throws Exception {
        Api alice = new Api(port).newKey("alice", "train");
        String job = alice.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":2048,"seed":5,
                 "hyperparameters":{"nSteps":256,"batchSize":64,"nEpochs":4}}""").body().get("id").asText();
        alice.awaitJob(job, Api::finished, Duration.ofSeconds(120));

        Api.Response first = alice.post("/api/jobs/" + job + "/evaluations",
                "{\"episodes\":5,\"deterministic\":true,\"seed\":3}");
        assertThat(first.status()).isEqualTo(201);
        JsonNode evaluation = first.body();
        assertThat(first.header("Location")).isEqualTo("/api/jobs/" + job + "/evaluations/" + evaluation.get("id").asText());
        assertThat(evaluation.get("episodes").asInt()).isEqualTo(5);
        assertThat(evaluation.get("returns")).hasSize(5);
        assertThat(evaluation.get("lengths")).hasSize(5);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            // CartPole pays 1 a step: a return is its episode's length, at most the time limit
            int length = evaluation.get("lengths").get(i).asInt();
            assertThat(length).isBetween(8, 500);
            assertThat(evaluation.get("returns").get(i).asDouble()).isEqualTo(length);
            sum += length;
        }
        assertThat(evaluation.get("meanReturn").asDouble()).isCloseTo(sum / 5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(evaluation.get("stdReturn").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(evaluation.at("/checkpoint/iteration").asInt()).isEqualTo(8);

        Api.Response again = alice.post("/api/jobs/" + job + "/evaluations", "{\"episodes\":5,\"seed\":3}");
        assertThat(again.body().get("returns")).as("the same seed, the same episodes").isEqualTo(evaluation.get("returns"));
        Api.Response stochastic = alice.post("/api/jobs/" + job + "/evaluations",
                "{\"episodes\":3,\"deterministic\":false,\"seed\":3,\"checkpoint\":\"8\"}");
        assertThat(stochastic.status()).isEqualTo(201);
        assertThat(stochastic.body().get("deterministic").asBoolean()).isFalse();

        JsonNode listed = alice.get("/api/jobs/" + job + "/evaluations").body().get("evaluations");
        assertThat(listed).hasSize(3);
        assertThat(listed.get(0).get("id")).isEqualTo(evaluation.get("id"));

        Api.Response tooMany = alice.post("/api/jobs/" + job + "/evaluations", "{\"episodes\":101}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body().get("field").asText()).isEqualTo("episodes");
        assertThat(alice.post("/api/jobs/" + job + "/evaluations", "{\"checkpoint\":\"soon\"}").body().get("field")
                .asText()).isEqualTo("checkpoint");
        Api bob = new Api(port).newKey("bob", "train");
        assertThat(bob.post("/api/jobs/" + job + "/evaluations", "{}").status()).isEqualTo(404);
        assertThat(bob.get("/api/jobs/" + job + "/evaluations").status()).isEqualTo(404);

        String external = alice.post("/api/jobs", """
                {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[-1,-1],"high":[1,1]},
                 "actionSpace":{"type":"discrete","n":2}}}}""").body().get("id").asText();
        Api.Response refused = alice.post("/api/jobs/" + external + "/evaluations", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("detail").asText()).contains("external");
        alice.post("/api/jobs/" + external + "/cancel", "");

        assertThat(alice.delete("/api/jobs/" + job).status()).isEqualTo(204);
        assertThat(alice.get("/api/jobs/" + job + "/evaluations").status()).isEqualTo(404);
    }
}
