package dev.proxima.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.jpa.boot.internal.EntityManagerFactoryBuilderImpl;
import org.hibernate.jpa.boot.spi.TypeContributorList;
import org.hibernate.type.descriptor.jdbc.JsonAsStringJdbcType;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;
import org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the {@code @JdbcTypeCode(SqlTypes.JSON)} attributes (a job's request, an iteration's
 * metrics) are stored: as JSON text in the varchar columns the migrations created, written and
 * read by the application's ObjectMapper, so rows look as they always have. Hibernate's defaults
 * would bind H2's JSON and PostgreSQL's jsonb types instead, which these columns are not (and
 * H2 would turn existing text into JSON strings if they were converted). Needs the ObjectMapper:
 * a {@code @DataJpaTest} adds {@code @AutoConfigureJson}.
 */
@Configuration
public class JsonColumns {

    @Bean
    HibernatePropertiesCustomizer jsonAsText(ObjectMapper json) {
        return properties -> {
            properties.put(MappingSettings.JSON_FORMAT_MAPPER, new JacksonJsonFormatMapper(json));
            properties.put(EntityManagerFactoryBuilderImpl.TYPE_CONTRIBUTORS, (TypeContributorList) () -> List.of(
                    (types, services) -> types.contributeJdbcType(JsonAsStringJdbcType.VARCHAR_INSTANCE)));
        };
    }
}
