package dev.proxima.policy;

import dev.proxima.access.SliceSecurity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.support.MvcApi;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The shape of /act requests, checked against the policy that is to answer: observations of the
 * wrong length or not finite, masks of the wrong length or allowing nothing, a malformed
 * checkpoint selector. The policy controller and service with an untrained policy of the
 * environment; the checkpoint cache is a mock.
 */
@WebMvcTest(PolicyController.class)
@Import({PolicyService.class, SliceSecurity.class, io.micrometer.core.instrument.simple.SimpleMeterRegistry.class})
class ActRequestValidationTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final String DIAGONAL_MAZE_START;

    static {
        double[] start = new double[25];
        start[0] = 1.0;
        DIAGONAL_MAZE_START = Arrays.toString(start);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    EnvironmentRegistry environments;

    @MockitoBean
    PolicyCache policies;

    @MockitoBean
    dev.proxima.job.JobService jobs;

    /** Serves a fresh policy for the environment as job JOB's latest checkpoint. */
    private MvcApi serving(String environmentId) {
        var policy = new PpoTrainer(PpoConfig.defaults(), SyncVecEnv.of(environments, environmentId, 1), 1).policy();
        when(policies.get(eq(JOB), any())).thenReturn(
                new PolicyCache.LoadedPolicy(new CheckpointInfo(1, 1, 64, null), policy));
        return new MvcApi(mvc);
    }

    private static void assertInvalid(MvcApi.Response response, String field) {
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("field").asText()).isEqualTo(field);
        assertThat(response.body().get("detail").asText()).startsWith(field + ": ");
    }

    @Test
    void observationsMustFitThePolicy() {
        MvcApi api = serving("CartPole-v1");
        String act = "/api/policies/" + JOB + "/act";
        assertThat(api.post(act, "{\"observation\":[0,0,0,0]}").status()).isEqualTo(200);
        assertInvalid(api.post(act, "{\"observation\":[0,0,0]}"), "observation");
        assertInvalid(api.post(act, "{\"observations\":[[0,0,0,0],[0,1e999,0,0]]}"), "observations[1][1]");
        assertInvalid(api.post(act, "{\"observation\":[0,1e39,0,0]}"), "observation[1]");
        assertInvalid(api.post(act, "{\"deterministic\":true}"), "observation");
        assertInvalid(api.post(act, "{\"observation\":[0,0,0,0],\"observations\":[[0,0,0,0]]}"), "observation");
        assertInvalid(api.post(act, "{\"observations\":[]}"), "observations");
        assertInvalid(api.post(act, "{\"observations\":[[0,0,0,0],null]}"), "observations[1]");
        MvcApi.Response nan = api.post(act, "{\"observation\":[0,NaN,0,0]}");
        assertThat(nan.status()).isEqualTo(400);
        assertThat(nan.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void masksMustFitTheActionSpace() {
        MvcApi api = serving("CartPole-v1");
        String act = "/api/policies/" + JOB + "/act";
        String observation = "[0.01,0.2,-0.03,-0.3]";
        assertThat(api.post(act, "{\"observation\":" + observation + ",\"actionMask\":[false,true]}").body()
                .get("action").asInt()).isEqualTo(1);
        assertInvalid(api.post(act, "{\"observation\":" + observation + ",\"actionMask\":[false,false]}"), "actionMask");
        assertInvalid(api.post(act, "{\"observation\":" + observation + ",\"actionMask\":[true]}"), "actionMask");
        assertInvalid(api.post(act, "{\"observations\":[" + observation + "],\"actionMasks\":[[true,true],[true,true]]}"),
                "actionMasks");
        assertInvalid(api.post(act, "{\"observations\":[" + observation + "],\"actionMask\":[true,true]}"), "actionMask");
        assertInvalid(api.post(act, "{\"observation\":" + observation + ",\"actionMasks\":[[true,true]]}"), "actionMasks");
        // a string where a mask belongs (the fuzz test found it answered 500): a 400 naming it
        for (String mask : new String[] {"\"NaN\"", "\"true\"", "{}"}) {
            MvcApi.Response wrongType = api.post(act, "{\"observation\":" + observation + ",\"actionMask\":" + mask + "}");
            assertThat(wrongType.status()).as(mask).isEqualTo(400);
            assertThat(wrongType.body().get("field").asText()).isEqualTo("actionMask");
        }
    }

    @Test
    void boxPoliciesTakeNoMask() {
        MvcApi api = serving("Pendulum-v1");
        assertInvalid(api.post("/api/policies/" + JOB + "/act", "{\"observation\":[1.0,0.0,0.5],\"actionMask\":[true]}"),
                "actionMask");
    }

    /** Moved from MultiDiscreteActApiTest: no trained policy is needed to refuse a mask. */
    @Test
    void multiDiscreteMasksOfTheWrongLengthOrWithADimensionThatAllowsNothingAre422() {
        MvcApi api = serving("DiagonalMaze-v0");
        String act = "/api/policies/" + JOB + "/act";
        assertInvalid(api.post(act, "{\"observation\":" + DIAGONAL_MAZE_START + ",\"actionMask\":[true,true,true]}"),
                "actionMask");
        MvcApi.Response noColumnMove = api.post(act,
                "{\"observation\":" + DIAGONAL_MAZE_START + ",\"actionMask\":[true,true,true,false,false,false]}");
        assertInvalid(noColumnMove, "actionMask");
        assertThat(noColumnMove.body().get("detail").asText()).contains("dimension 1");
        assertInvalid(api.post(act, "{\"observations\":[" + DIAGONAL_MAZE_START + "," + DIAGONAL_MAZE_START
                + "],\"actionMasks\":[[true,true,true,true,true,true],[false,false,false,true,true,true]]}"),
                "actionMasks[1]");
    }

    @Test
    void theCheckpointSelectorIsLatestBestOrAnIteration() {
        MvcApi api = serving("CartPole-v1");
        String act = "/api/policies/" + JOB + "/act";
        for (String selector : List.of("latest", "best", "3")) {
            assertThat(api.post(act + "?checkpoint=" + selector, "{\"observation\":[0,0,0,0]}").status())
                    .as(selector).isEqualTo(200);
        }
        for (String malformed : List.of("abc", "0", "-1", "1.5", "")) {
            assertInvalid(api.post(act + "?checkpoint=" + malformed, "{\"observation\":[0,0,0,0]}"), "checkpoint");
        }
    }
}
