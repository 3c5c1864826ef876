package dev.proxima.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The runner protocol over HTTP: tokens, attaching, every malformed step a 4xx problem naming
 * its field, the long poll's 202, mask-honouring actions, detaching and a finished job's 410.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"proxima.runners.poll=1s", "proxima.runners.lease=3s", "proxima.runners.abandon-after=8s"})
class RunnerProtocolApiTest {

    static final String MASKED_JOB = """
            {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},
              "actionSpace":{"type":"discrete","n":3},"actionMasks":true},"numEnvs":2},
             "totalTimesteps":1000000,"seed":5,"hyperparameters":{"nSteps":16,"batchSize":32}}""";

    @LocalServerPort
    int port;

    record Job(String id, String token) {
    }

    private Job submit(Api api, String body) {
        Api.Response created = api.post("/api/jobs", body);
        assertThat(created.status()).isEqualTo(201);
        return new Job(created.body().get("id").asText(), created.body().get("runnerToken").asText());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        if (field != null) {
            assertThat(response.body().get("field").asText()).isEqualTo(field);
            assertThat(response.body().get("detail").asText()).startsWith(field + ": ");
        }
    }

    @Test
    void runnerCallsNeedTheJobsOwnToken() {
        Api api = new Api(port);
        Job job = submit(api, MASKED_JOB);
        Job other = submit(api, MASKED_JOB);
        assertThat(job.token()).startsWith("prt_").isNotEqualTo(other.token());
        JsonNode body = api.get("/api/jobs/" + job.id()).body();
        assertThat(body.has("runnerToken")).isFalse();
        assertThat(body.get("runners")).isEmpty();
        assertThat(body.get("attachedEnvs").asInt()).isZero();
        assertThat(body.get("environment").get("external").get("actionSpace").get("n").asInt()).isEqualTo(3);

        String runners = "/api/jobs/" + job.id() + "/runners";
        Api.Response anonymous = api.post(runners, "{\"numEnvs\":1}");
        assertProblem(anonymous, 401, null);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(api.post(runners, "{\"numEnvs\":1}", bearer("prt_wrong")), 401, null);
        assertProblem(api.post(runners, "{\"numEnvs\":1}", Map.of("Authorization", "Basic abc")), 401, null);
        assertProblem(api.post(runners, "{\"numEnvs\":1}", bearer(other.token())), 404, null);
        assertProblem(api.post(runners, "{\"numEnvs\":3}", bearer(job.token())), 422, "numEnvs");
        assertProblem(api.post(runners, "{\"numEnvs\":0}", bearer(job.token())), 422, "numEnvs");
        assertProblem(api.post(runners, "{}", bearer(job.token())), 422, "numEnvs");

        // a built-in job has no runner token and no runners
        String builtIn = api.post("/api/jobs", "{\"environment\":{\"id\":\"CartPole-v1\"},\"totalTimesteps\":64}")
                .body().get("id").asText();
        assertThat(api.get("/api/jobs/" + builtIn).body().has("runners")).isFalse();
        assertProblem(api.post("/api/jobs/" + builtIn + "/runners", "{\"numEnvs\":1}", bearer(job.token())), 404, null);
        api.post("/api/jobs/" + job.id() + "/cancel", "");
        api.post("/api/jobs/" + other.id() + "/cancel", "");
    }

    @Test
    void everyMalformedStepIsAProblemNamingItsFieldAndGoodStepsGetMaskHonouringActions() throws Exception {
        Api api = new Api(port);
        Job job = submit(api, MASKED_JOB);
        Map<String, String> auth = bearer(job.token());
        String runners = "/api/jobs/" + job.id() + "/runners";
        Api.Response attached = api.post(runners, "{\"numEnvs\":1}", auth);
        assertThat(attached.status()).isEqualTo(201);
        assertThat(attached.header("Location")).endsWith(attached.body().get("runnerId").asText());
        assertThat(attached.body().get("leaseSeconds").asInt()).isEqualTo(3);
        assertThat(attached.body().get("seeds")).hasSize(1);
        String a = runners + "/" + attached.body().get("runnerId").asText() + "/steps";
        assertProblem(api.post(runners, "{\"numEnvs\":2}", auth), 409, null);

        String mask = "\"actionMasks\":[[false,false,true]]";
        assertProblem(api.post(a, "{\"observations\":[[0,0]]," + mask + "}", auth), 422, "sequence");
        assertProblem(api.post(a, "{\"sequence\":-1,\"observations\":[[0,0]]," + mask + "}", auth), 422, "sequence");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0]],\"rewards\":[1]," + mask + "}", auth), 422,
                "rewards");
        assertProblem(api.post(a, "{\"sequence\":0," + mask + "}", auth), 422, "observations");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0],[0,0]]," + mask + "}", auth), 422,
                "observations");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0,0]]," + mask + "}", auth), 422,
                "observations[0]");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,1e999]]," + mask + "}", auth), 422,
                "observations[0][1]");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,null]]," + mask + "}", auth), 422,
                "observations[0][1]");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0]]}", auth), 422, "actionMasks");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0]],\"actionMasks\":[[false,false,false]]}",
                auth), 422, "actionMasks[0]");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0]],\"actionMasks\":[[true,false]]}", auth),
                422, "actionMasks[0]");
        assertProblem(api.post(a, "{\"sequence\":5,\"observations\":[[0,0]],\"rewards\":[1],\"terminated\":[false],"
                + "\"truncated\":[false]," + mask + "}", auth), 409, "sequence");
        assertProblem(api.post(a, "{\"sequence\":0,\"observations\":[[0,0]],\"unknown\":1}", auth), 400, "unknown");
        assertProblem(api.post(runners + "/00000000-0000-0000-0000-000000000000/steps",
                "{\"sequence\":0,\"observations\":[[0,0]]," + mask + "}", auth), 404, null);

        // one of two copies attached: the step waits for the poll, then 202 with Retry-After
        String first = "{\"sequence\":0,\"observations\":[[0.5,0.1]]," + mask + "}";
        Api.Response pending = api.post(a, first, auth);
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.header("Retry-After")).isEqualTo("1");
        assertThat(pending.body().get("sequence").asInt()).isZero();

        String b = runners + "/" + api.post(runners, "{\"numEnvs\":1}", auth).body().get("runnerId").asText() + "/steps";
        Api.Response fromB = api.post(b, "{\"sequence\":0,\"observations\":[[0.2,0.3]],\"actionMasks\":[[true,false,false]]}",
                auth);
        assertThat(fromB.status()).isEqualTo(200);
        assertThat(fromB.body().get("actions").get(0).asInt()).isZero();
        assertThat(fromB.body().get("policyVersion").asInt()).isZero();
        Api.Response fromA = api.post(a, first, auth);
        assertThat(fromA.status()).isEqualTo(200);
        assertThat(fromA.body().get("actions").get(0).asInt()).isEqualTo(2);
        // a retry gets the same answer
        assertThat(api.post(a, first, auth).body()).isEqualTo(fromA.body());

        String ended = "\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1],\"terminated\":[false]," + mask;
        assertProblem(api.post(a, "{" + ended + ",\"truncated\":[true]}", auth), 422, "finalObservations.0");
        assertProblem(api.post(a, "{" + ended + ",\"truncated\":[false],\"finalObservations\":{\"0\":[0,0]}}", auth),
                422, "finalObservations.0");
        assertProblem(api.post(a, "{" + ended + ",\"truncated\":[true],\"finalObservations\":{\"3\":[0,0]}}", auth),
                422, "finalObservations.3");
        assertProblem(api.post(a, "{\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1,2],\"terminated\":[false],"
                + "\"truncated\":[false]," + mask + "}", auth), 422, "rewards");
        assertProblem(api.post(a, "{\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1e999],\"terminated\":[false],"
                + "\"truncated\":[false]," + mask + "}", auth), 422, "rewards[0]");
        assertProblem(api.post(a, "{\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1],\"truncated\":[false]," + mask
                + "}", auth), 422, "terminated");

        JsonNode body = api.get("/api/jobs/" + job.id()).body();
        assertThat(body.get("runners")).hasSize(2);
        assertThat(body.get("attachedEnvs").asInt()).isEqualTo(2);

        assertThat(api.delete(b.replace("/steps", ""), auth).status()).isEqualTo(204);
        assertProblem(api.post(b, "{\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1],\"terminated\":[false],"
                + "\"truncated\":[false]," + mask + "}", auth), 404, null);
        assertThat(api.get("/api/jobs/" + job.id()).body().get("attachedEnvs").asInt()).isEqualTo(1);

        assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(200);
        api.awaitJob(job.id(), Api::finished, Duration.ofSeconds(30));
        assertProblem(api.post(a, "{\"sequence\":1,\"observations\":[[0,0]],\"rewards\":[1],\"terminated\":[false],"
                + "\"truncated\":[false]," + mask + "}", auth), 410, null);
        Api.Response late = api.post(runners, "{\"numEnvs\":1}", auth);
        assertProblem(late, 409, null);
        assertThat(late.body().get("jobFinished").asBoolean()).isTrue();
    }

    @Test
    void aJobThatNoRunnerStepsFailsAfterTheAbandonLimitAndKeepsItsCheckpoints() throws Exception {
        Api api = new Api(port);
        Job job = submit(api, MASKED_JOB);
        // abandon-after is 8 s in this context; nothing ever attaches
        JsonNode failed = api.awaitJob(job.id(), Api::finished, Duration.ofSeconds(60));
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("stopReason").asText()).isEqualTo("RUNNERS_LOST");
        assertThat(failed.get("error").asText()).contains("no runner attached for 8 s");
        assertProblem(api.post("/api/jobs/" + job.id() + "/runners", "{\"numEnvs\":1}", bearer(job.token())), 409, null);
    }
}
