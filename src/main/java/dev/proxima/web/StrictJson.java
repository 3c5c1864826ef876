package dev.proxima.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are read as they are written: a value of the wrong JSON type is a 400 naming
 * its field, never coerced. No "1000" for a number, no 1000.5 for an integer, no 5 for a string,
 * no "true" or 1 for a boolean, and no null inside an array of numbers or flags (Jackson would
 * read it as 0 or false). Lists of nullable numbers (a Box space's bounds, where null is
 * unbounded) keep their nulls.
 */
@Configuration
class StrictJson {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictTypes() {
        return builder -> builder
                .featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .featuresToEnable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .postConfigurer(mapper -> {
                    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean,
                            LogicalType.Integer, LogicalType.Float}) {
                        mapper.coercionConfigFor(type)
                                .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer
                                        || type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, type == LogicalType.Float
                                        ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean
                                        ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.String, type == LogicalType.Textual
                                        ? CoercionAction.TryConvert : CoercionAction.Fail);
                    }
                    for (Class<?> array : new Class<?>[] {double[].class, float[].class, int[].class, long[].class,
                            boolean[].class}) {
                        mapper.configOverride(array).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
                    }
                });
    }
}
