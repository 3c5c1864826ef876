package dev.proxima.web;

import io.swagger.v3.core.util.AnnotationsUtils;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Every error the API documents is an RFC 7807 problem: each 4xx and 5xx response that an
 * operation's {@code @ApiResponse} lists gets an {@code application/problem+json} body of the
 * ProblemDetail schema, so the controllers only say which errors they answer and why. It replaces
 * the body springdoc derives from the method's return type, which is the success body.
 */
@Component
class ProblemResponses implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        boolean openApi31 = openApi.getSpecVersion() == SpecVersion.V31;
        openApi.getPaths().values().stream()
                .flatMap(path -> path.readOperations().stream())
                .filter(operation -> operation.getResponses() != null)
                .flatMap(operation -> operation.getResponses().entrySet().stream())
                .filter(response -> isError(response.getKey()))
                .forEach(response -> problemBody(response.getValue(), openApi.getComponents(), openApi31));
    }

    private static boolean isError(String responseCode) {
        return responseCode.startsWith("4") || responseCode.startsWith("5");
    }

    private static void problemBody(ApiResponse response, Components components, boolean openApi31) {
        // resolved as a @Schema(implementation = ProblemDetail.class) would be: a $ref, the schema in components
        var schema = AnnotationsUtils.resolveSchemaFromType(ProblemDetail.class, components, null, openApi31);
        response.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(schema)));
    }
}
