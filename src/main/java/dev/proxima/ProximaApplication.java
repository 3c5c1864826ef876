package dev.proxima;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.job.JsonColumns;
import dev.proxima.ppo.model.Nd4jRuntime;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
// imported here rather than scanned, so that JPA slice tests store JSON columns as the service does
@Import(JsonColumns.class)
public class ProximaApplication {

    public static void main(String[] args) {
        Nd4jRuntime.init();
        SpringApplication.run(ProximaApplication.class, args);
    }

    @Bean
    EnvironmentRegistry environmentRegistry() {
        Nd4jRuntime.init();
        return new EnvironmentRegistry();
    }
}
