package dev.proxima.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OpenApiConfig {

    /** The security scheme of the runner protocol's operations. */
    static final String RUNNER_TOKEN = "runnerToken";
    /** The security scheme of every other operation. */
    static final String API_KEY = "apiKey";

    @Bean
    OpenAPI proximaOpenApi() {
        // A relative server keeps the document the same on every host and port.
        return new OpenAPI().servers(List.of(new Server().url("/")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API key: the bootstrap admin key (PROXIMA_ADMIN_KEY, or the file "
                                        + "the service writes under ./data at first start), or one from POST /api/keys"))
                        .addSecuritySchemes(RUNNER_TOKEN, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An external job's runnerToken, answered once by POST /api/jobs")))
                .info(new Info()
                .title("Proxima")
                .version("1")
                .description("PPO training as a service: submit a job, follow its metrics, act with its policy. "
                        + "Errors are RFC 7807 problem details; field errors name the field in 'field'."));
    }
}
