package dev.proxima.job;

import dev.proxima.access.SliceSecurity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.proxima.support.Api;
import dev.proxima.support.MvcApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The shape of /api/jobs requests: bad input is an RFC 7807 problem naming the field, and never
 * reaches the queue. The job controller with the real submission checks (JobSubmissions,
 * JobRequests, the environment registry); the queue and the database are mocks.
 */
@WebMvcTest(JobController.class)
@Import({JobSubmissions.class, JobRequests.class, SliceSecurity.class})
class JobRequestValidationTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService jobs;

    @MockitoBean
    JobQueue queue;

    @MockitoBean
    JobRepository repository;

    @MockitoBean
    CheckpointQuota checkpointQuota;

    @MockitoBean
    JobEvents events;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown environment   | {"environment":{"id":"Nope-v0"}}                                                     | 422 | environment.id
            missing environment   | {"totalTimesteps":1000}                                                              | 422 | environment.id
            batch over rollout    | {"environment":{"id":"CartPole-v1","numEnvs":2},"hyperparameters":{"nSteps":8,"batchSize":64}} | 422 | hyperparameters.batchSize
            gamma zero            | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"gamma":0}}                  | 422 | hyperparameters.gamma
            gamma above one       | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"gamma":1.01}}               | 422 | hyperparameters.gamma
            negative rate         | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"learningRate":-0.001}}      | 422 | hyperparameters.learningRate
            negative entCoef      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"entCoef":-0.1}}             | 422 | hyperparameters.entCoef
            unknown schedule      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"learningRateSchedule":"cosine"}} | 422 | hyperparameters.learningRateSchedule
            bad activation        | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"network":{"activation":"gelu"}}} | 422 | hyperparameters.network.activation
            zero hidden size      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"network":{"hiddenSizes":[64,0]}}} | 422 | hyperparameters.network.hiddenSizes[1]
            zero numEnvs          | {"environment":{"id":"CartPole-v1","numEnvs":0}}                                     | 422 | environment.numEnvs
            zero checkpointEvery  | {"environment":{"id":"CartPole-v1"},"checkpointEvery":0}                           | 422 | checkpointEvery
            zero maxRuntime       | {"environment":{"id":"CartPole-v1"},"stopWhen":{"maxRuntimeSeconds":0}}           | 422 | stopWhen.maxRuntimeSeconds
            zero timesteps        | {"environment":{"id":"CartPole-v1"},"totalTimesteps":0}                             | 422 | totalTimesteps
            NUL in name           | {"name":"a\\u0000b","environment":{"id":"CartPole-v1"}}                           | 422 | name
            misspelt field        | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"nStep":8}}                  | 400 | hyperparameters.nStep
            wrong type            | {"environment":{"id":"CartPole-v1"},"totalTimesteps":"many"}                        | 400 | totalTimesteps
            id and external       | {"environment":{"id":"CartPole-v1","external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.id
            no observation space  | {"environment":{"external":{"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.external.observationSpace
            no action space       | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]}}}} | 422 | environment.external.actionSpace
            discrete observations | {"environment":{"external":{"observationSpace":{"type":"discrete","n":3},"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.external.observationSpace.type
            unknown space type    | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"tuple"}}}} | 422 | environment.external.actionSpace.type
            zero actions          | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"discrete","n":0}}}} | 422 | environment.external.actionSpace.n
            short bounds          | {"environment":{"external":{"observationSpace":{"type":"box","shape":[3],"low":[0,0],"high":[1,1,1]},"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.external.observationSpace.low
            low above high        | {"environment":{"external":{"observationSpace":{"type":"box","shape":[1],"low":[2],"high":[1]},"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.external.observationSpace.high[0]
            zero shape            | {"environment":{"external":{"observationSpace":{"type":"box","shape":[0],"low":[],"high":[]},"actionSpace":{"type":"discrete","n":2}}}} | 422 | environment.external.observationSpace.shape[0]
            unbounded action box  | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"box","shape":[1],"low":[null],"high":[1]}}}} | 422 | environment.external.actionSpace.low[0]
            zero nvec entry       | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"multiDiscrete","nvec":[3,0]}}}} | 422 | environment.external.actionSpace.nvec[1]
            masks on a box        | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"box","shape":[1],"low":[-1],"high":[1]},"actionMasks":true}}} | 422 | environment.external.actionMasks
            11 GB iteration       | {"environment":{"id":"CartPole-v1","numEnvs":256},"totalTimesteps":1,"hyperparameters":{"nSteps":256,"batchSize":65536,"nEpochs":1,"network":{"hiddenSizes":[4000,1000]}}} | 422 | hyperparameters.batchSize
            n on a box            | {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[null,-1],"high":[null,1]},"actionSpace":{"type":"box","n":2,"shape":[1],"low":[-1],"high":[1]}}}} | 422 | environment.external.actionSpace
            """)
    void invalidJobRequests(String description, String body, int status, String field) {
        MvcApi.Response response = new MvcApi(mvc).post("/api/jobs", body);
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("field").asText()).isEqualTo(field);
        assertThat(response.body().get("detail").asText()).startsWith(field + ": ");
        verifyNoInteractions(queue);
    }

    @Test
    void aRolloutTooLargeForMemoryIsRefusedUpFront() {
        // 8 copies x 8192 steps of 16,384-element observations: about 12 GiB of rollout
        String bounds = "[" + "0,".repeat(16_383) + "0]";
        String body = "{\"environment\":{\"external\":{\"observationSpace\":{\"type\":\"box\",\"shape\":[16384],"
                + "\"low\":" + bounds.replace("0", "-1") + ",\"high\":" + bounds.replace("0", "1") + "},"
                + "\"actionSpace\":{\"type\":\"discrete\",\"n\":2}},\"numEnvs\":8},"
                + "\"hyperparameters\":{\"nSteps\":8192,\"batchSize\":64}}";
        MvcApi.Response response = new MvcApi(mvc).post("/api/jobs", body);
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().get("field").asText()).isEqualTo("hyperparameters.nSteps");
        assertThat(response.body().get("detail").asText()).contains("proxima.limits.iteration-memory")
                .contains("environment.numEnvs x nSteps");
        verifyNoInteractions(queue);
    }

    @Test
    void malformedJsonIsBadRequest() {
        MvcApi.Response response = new MvcApi(mvc).post("/api/jobs", "{\"environment\": {");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asText()).contains("malformed JSON");
        verifyNoInteractions(queue);
    }

    @Test
    void malformedIdempotencyKeysAreRefused() throws Exception {
        String job = "{\"environment\":{\"id\":\"CartPole-v1\"},\"totalTimesteps\":64}";
        for (String key : new String[] {"k".repeat(256), " "}) {
            var response = mvc.perform(MockMvcRequestBuilders.post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                    .header("Idempotency-Key", key).content(job)).andReturn().getResponse();
            assertThat(response.getStatus()).as("key '%s'", key).isEqualTo(422);
            assertThat(response.getContentAsString()).contains("\"field\":\"Idempotency-Key\"");
        }
        // two headers used to be stored as the one key "k1,k2"
        var twice = mvc.perform(MockMvcRequestBuilders.post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                .header("Idempotency-Key", "k1").header("Idempotency-Key", "k2").content(job)).andReturn()
                .getResponse();
        assertThat(twice.getStatus()).isEqualTo(422);
        assertThat(twice.getContentAsString()).contains("\"field\":\"Idempotency-Key\"").contains("sent once");
        verifyNoInteractions(queue);
    }

    @Test
    void malformedIdIsBadRequest() {
        MvcApi.Response response = new MvcApi(mvc).get("/api/jobs/not-a-uuid");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).isEqualTo("id");
        verifyNoInteractions(jobs);
    }

    @Test
    void listPassesTheStatusFilterAndChecksPaging() {
        when(jobs.list(any(), any(), any(), any())).thenReturn(Page.empty());
        MvcApi api = new MvcApi(mvc);
        assertThat(api.get("/api/jobs?status=SUCCEEDED&page=2&size=5").status()).isEqualTo(200);
        ArgumentCaptor<Pageable> page = ArgumentCaptor.forClass(Pageable.class);
        verify(jobs).list(any(), isNull(), eq(JobStatus.SUCCEEDED), page.capture());
        assertThat(page.getValue().getPageNumber()).isEqualTo(2);
        assertThat(page.getValue().getPageSize()).isEqualTo(5);
        assertThat(page.getValue().getSort()).isEqualTo(Sort.by(Sort.Direction.DESC, "createdAt"));

        MvcApi.Response unknownStatus = api.get("/api/jobs?status=DONE");
        assertThat(unknownStatus.status()).isEqualTo(400);
        assertThat(unknownStatus.body().get("field").asText()).isEqualTo("status");
        MvcApi.Response zeroSize = api.get("/api/jobs?size=0");
        assertThat(zeroSize.status()).isEqualTo(422);
        assertThat(zeroSize.body().get("field").asText()).isEqualTo("size");
        MvcApi.Response overflow = api.get("/api/jobs?page=20000000&size=200");
        assertThat(overflow.status()).isEqualTo(422);
        assertThat(overflow.body().get("field").asText()).isEqualTo("page");
    }
}
