package dev.proxima.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.web.ProblemWriter;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Every /api operation needs an API key ({@code Authorization: Bearer <key>}) whose scopes allow
 * it: /api/keys admin; /act act, train or admin; the rest of /api train or admin. Of the
 * actuator, health is open (liveness and readiness probes), the rest admin (a Prometheus scrape
 * sends an admin key); outside these only the documentation. The runner protocol
 * authenticates with its job's runner token instead (RunnerService checks it).
 *
 * <p>Stateless: no session, no cookie, so no CSRF token either: a cross-site page cannot make a
 * browser send the Authorization header (and CrossSiteRequests refuses forms and foreign origins).
 */
@Configuration
class SecurityConfig {

    private static final String[] PUBLIC = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
            "/error"};

    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
        return new ApiKeyAuthenticationProvider(keys);
    }

    @Bean
    @Order(1)
    SecurityFilterChain runnerProtocolRules(HttpSecurity http) throws Exception {
        return stateless(http.securityMatcher("/api/jobs/*/runners/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiKeyRules(HttpSecurity http, ApiKeyAuthenticationProvider provider, ObjectMapper json)
            throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            boolean badKey = e instanceof BadCredentialsException;
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"proxima\"" + (badKey ? ", error=\"invalid_token\"" : ""));
            ProblemWriter.write(response, json, HttpStatus.UNAUTHORIZED, badKey ? e.getMessage()
                    : "send an API key as 'Authorization: Bearer <key>'");
        };
        AccessDeniedHandler forbidden = (request, response, e) -> ProblemWriter.write(response, json,
                HttpStatus.FORBIDDEN, "this API key's scopes (" + scopes() + ") do not allow " + request.getMethod()
                        + " " + request.getRequestURI());
        AuthenticationFilter bearerKeys = new AuthenticationFilter(new ProviderManager(provider),
                new BearerKeyConverter());
        bearerKeys.setSuccessHandler((request, response, authentication) -> { });
        bearerKeys.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));

        String admin = Scope.ADMIN.authority();
        String train = Scope.TRAIN.authority();
        return stateless(http)
                .addFilterAt(bearerKeys, BasicAuthenticationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasAuthority(admin)
                        .requestMatchers("/api/keys", "/api/keys/**").hasAuthority(admin)
                        .requestMatchers(HttpMethod.POST, "/api/policies/*/act")
                                .hasAnyAuthority(admin, train, Scope.ACT.authority())
                        .requestMatchers("/api/**").hasAnyAuthority(admin, train)
                        // outside /api: only the documentation, and 404s
                        .anyRequest().permitAll())
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
    }

    private static String scopes() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "none" : authentication.getAuthorities().stream()
                .map(a -> a.getAuthority().replace("SCOPE_", "")).sorted().collect(Collectors.joining(", "));
    }

}
