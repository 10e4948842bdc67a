package com.cleversync.ops;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.sync.SyncConfiguration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may use the management endpoints. Everything on the HTTP port needs a login except the
 * Kubernetes probes; {@code /actuator/health} answers anonymous callers with its status only.
 * {@code VIEWER} reads everything; {@code OPERATOR} also changes things (every request other than
 * GET, and Jolokia operations, see {@link JolokiaAccess}). Browsers (Hawtio at {@code /actuator/hawtio})
 * log in with a form, API clients and Prometheus with HTTP Basic; CSRF protection applies to the
 * browser's session (a cookie the page echoes in a header), not to requests that carry their own credentials.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET) // run-once has no web server
class ManagementSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementSecurity.class);
    private static final Pattern ENCODED = Pattern.compile("\\{[a-z0-9_-]+}.+", Pattern.CASE_INSENSITIVE);
    static final String ADMIN = "admin";

    @Bean
    SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health").permitAll()
                        .requestMatchers(HttpMethod.GET, "/**").hasAnyRole("VIEWER", "OPERATOR")
                        // Hawtio reads MBeans with POSTs too: JolokiaAccess lets only an OPERATOR invoke or write
                        .requestMatchers(HttpMethod.POST, "/actuator/jolokia", "/actuator/jolokia/**")
                        .hasAnyRole("VIEWER", "OPERATOR")
                        .anyRequest().hasRole("OPERATOR"))
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                .csrf(csrf -> csrf
                        // a request that brings its own credentials cannot be forged by another site
                        .ignoringRequestMatchers(request -> request.getHeader("Authorization") != null)
                        // Hawtio's page sends the token it reads from this cookie back as X-XSRF-TOKEN
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .addFilterAfter(new CsrfCookie(), CsrfFilter.class)
                .build();
    }

    /** Sets the CSRF cookie on every response: Spring Security otherwise creates the token only when a form asks. */
    private static final class CsrfCookie extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

    @Bean
    UserDetailsService managementUsers(CleverSyncProperties properties, CamelContext camel) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        Map<String, CleverSyncProperties.User> configured = properties.management().users();
        List<UserDetails> users = new ArrayList<>();
        if (configured.isEmpty()) {
            String password = generatedPassword();
            // printed once, as Spring Boot does for its default user, so that the zero-config demo stays one command
            LOG.warn("no cleversync.management.users configured: user '{}' (OPERATOR) has the generated password {}"
                    + " (valid until restart; configure users for production)", ADMIN, password);
            users.add(User.withUsername(ADMIN).password(encoder.encode(password)).roles("VIEWER", "OPERATOR").build());
        }
        configured.forEach((name, user) -> users.add(user(name, user, camel)));
        return new InMemoryUserDetailsManager(users);
    }

    private static UserDetails user(String name, CleverSyncProperties.User user, CamelContext camel) {
        String prefix = "cleversync.management.users." + name;
        String password = SyncConfiguration.resolve(camel, prefix + ".password", user.password());
        if (password == null || !ENCODED.matcher(password).matches()) {
            throw new InvalidConfigurationException(prefix + ".password",
                    "must name its encoding: {bcrypt}<hash> (or {noop}<password>, for trials only)");
        }
        if (password.regionMatches(true, 0, "{noop}", 0, 6)) {
            LOG.warn("management user '{}' has a {noop} (plain text) password: use {bcrypt} in production", name);
        }
        if (user.roles().isEmpty()) {
            throw new InvalidConfigurationException(prefix + ".roles", "at least one of VIEWER, OPERATOR is required");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (CleverSyncProperties.Role role : user.roles()) {
            roles.add(role.name());
            if (role == CleverSyncProperties.Role.OPERATOR) {
                roles.add(CleverSyncProperties.Role.VIEWER.name());
            }
        }
        // stored as configured, already encoded: Spring Security matches it with its DelegatingPasswordEncoder
        return User.withUsername(name).password(password).roles(roles.toArray(String[]::new)).build();
    }

    private static String generatedPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
