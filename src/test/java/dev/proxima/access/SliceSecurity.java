package dev.proxima.access;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.proxima.support.Api;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The service's security rules for {@code @WebMvcTest} slices, with one known key: {@link Api#ADMIN_KEY},
 * an admin of owner "admin" (the slices have no database to hold keys).
 */
@TestConfiguration
@Import(SecurityConfig.class)
public class SliceSecurity {

    @Bean
    ApiKeys sliceApiKeys() {
        ApiKeys keys = mock(ApiKeys.class);
        when(keys.authenticate(anyString())).thenReturn(Optional.empty());
        when(keys.authenticate(Api.ADMIN_KEY)).thenReturn(Optional.of(
                new Caller(ApiKeys.BOOTSTRAP_ID, ApiKeys.BOOTSTRAP_OWNER, Set.of(Scope.ADMIN))));
        return keys;
    }
}
