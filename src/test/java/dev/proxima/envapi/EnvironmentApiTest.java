package dev.proxima.envapi;

import dev.proxima.access.SliceSecurity;
import org.springframework.context.annotation.Import;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.MvcApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

/** GET /api/environments: each environment with Gymnasium's spaces, as JSON. */
@WebMvcTest(EnvironmentController.class)
@Import(SliceSecurity.class)
class EnvironmentApiTest {

    @Autowired
    MockMvc mvc;

    @Test
    void environmentsDescribeTheirSpaces() {
        MvcApi api = new MvcApi(mvc);
        JsonNode cartPole = api.get("/api/environments").body().get(0);
        assertThat(cartPole.get("id").asText()).isEqualTo("CartPole-v1");
        assertThat(cartPole.get("observationSpace").get("type").asText()).isEqualTo("box");
        assertThat(cartPole.get("observationSpace").get("shape").get(0).asInt()).isEqualTo(4);
        assertThat(cartPole.get("observationSpace").get("high").get(0).asDouble()).isEqualTo((double) 4.8f);
        assertThat(cartPole.get("observationSpace").get("high").get(1).isNull()).isTrue();
        assertThat(cartPole.get("actionSpace").get("type").asText()).isEqualTo("discrete");
        assertThat(cartPole.get("actionSpace").get("n").asInt()).isEqualTo(2);
        assertThat(cartPole.get("maxEpisodeSteps").asInt()).isEqualTo(500);
        assertThat(cartPole.get("rewardThreshold").asDouble()).isEqualTo(475.0);
        assertThat(api.get("/api/environments/Nope-v0").status()).isEqualTo(404);
    }
}
