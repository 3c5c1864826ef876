package dev.proxima.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * The PostgreSQL server the tests run against, and a fresh database on it per test class.
 *
 * <p>The server is the one of {@code PROXIMA_TEST_POSTGRES_URL} (a JDBC URL of a database the
 * user may connect to; default {@code jdbc:postgresql://localhost:5432/postgres}), with
 * {@code PROXIMA_TEST_POSTGRES_USER} (default {@code postgres}) and
 * {@code PROXIMA_TEST_POSTGRES_PASSWORD} (default empty). The user needs CREATEDB. {@code .ci/run}
 * sets all three.
 *
 * <p>When the server does not answer and it is this machine's, the tests start its cluster with
 * {@code pg_ctlcluster}. If it still does not answer, a test fails when the environment variable
 * {@code CI} is set, and is skipped otherwise.
 */
public final class Postgres {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1", "");

    private static Server server;
    private static String unavailable;

    private Postgres() {
    }

    /** A database of its own on the server; {@link #close()} drops it. */
    public record Database(String name, String url, String username, String password) implements AutoCloseable {

        public Connection connect() throws SQLException {
            return Postgres.connect(url, username, password);
        }

        /** The first column of the first row of a query, or null when there is no row. */
        public Object queryForObject(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql)) {
                return rows.next() ? rows.getObject(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        public long queryForLong(String sql) {
            return ((Number) queryForObject(sql)).longValue();
        }

        /** Command-line arguments that put a Spring Boot application on this database. */
        public List<String> springArguments() {
            return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + username,
                    "--spring.datasource.password=" + password);
        }

        @Override
        public void close() {
            // FORCE: a connection left behind by a failed test must not keep the database alive
            server().execute("drop database if exists " + name + " with (force)");
        }
    }

    /** Creates a new, empty database owned by the test user. */
    public static Database createDatabase() {
        Server server = server();
        String name = "proxima_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        server.execute("create database " + name);
        return new Database(name, server.urlOf(name), server.username(), server.password());
    }

    private record Server(String url, String username, String password) {

        String urlOf(String database) {
            Matcher m = JDBC_URL.matcher(url);
            if (!m.matches()) {
                throw new IllegalStateException("PROXIMA_TEST_POSTGRES_URL must look like "
                        + "jdbc:postgresql://host:port/database, was " + url);
            }
            return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
        }

        boolean isLocal() {
            Matcher m = JDBC_URL.matcher(url);
            if (!m.matches()) {
                return false;
            }
            String host = URI.create(m.group(1).substring("jdbc:".length())).getHost();
            return host == null || LOCAL_HOSTS.contains(host);
        }

        void execute(String sql) {
            try (Connection connection = connect(url, username, password);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " on " + url + " as " + username + ": " + e.getMessage(), e);
            }
        }

        String check() {
            try (Connection ignored = connect(url, username, password)) {
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            }
        }
    }

    /** The server, reachable: started if need be, else the test fails (CI) or is skipped. */
    private static synchronized Server server() {
        if (server != null) {
            return server;
        }
        if (unavailable == null) {
            Server configured = new Server(
                    env("PROXIMA_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:5432/postgres"),
                    env("PROXIMA_TEST_POSTGRES_USER", "postgres"),
                    env("PROXIMA_TEST_POSTGRES_PASSWORD", ""));
            String problem = configured.check();
            if (problem != null && configured.isLocal()) {
                List<String> outcomes = new ArrayList<>();
                if (startLocalClusters(outcomes)) {
                    for (int i = 0; i < 30 && problem != null; i++) {
                        sleep(500);
                        problem = configured.check();
                    }
                }
                if (problem != null) {
                    problem += " (" + String.join("; ", outcomes) + ")";
                }
            }
            if (problem == null) {
                server = configured;
                return server;
            }
            unavailable = "no PostgreSQL at " + configured.url() + " as " + configured.username() + ": " + problem;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(unavailable + ". CI runs the PostgreSQL tests: .ci/run starts the server and "
                    + "sets PROXIMA_TEST_POSTGRES_URL/_USER/_PASSWORD.");
        }
        throw new TestAbortedException(unavailable + ". Skipping the PostgreSQL tests; run .ci/run, or start a "
                + "server and set PROXIMA_TEST_POSTGRES_URL/_USER/_PASSWORD.");
    }

    /** Starts the machine's PostgreSQL clusters (Debian's pg_ctlcluster): true if one started. */
    private static boolean startLocalClusters(List<String> outcomes) {
        Path configs = Path.of("/etc/postgresql");
        if (!Files.isDirectory(configs) || !new File("/usr/bin/pg_ctlcluster").canExecute()) {
            outcomes.add("no pg_ctlcluster on this machine to start one");
            return false;
        }
        boolean started = false;
        try (Stream<Path> versions = Files.list(configs)) {
            for (Path version : versions.sorted().toList()) {
                if (!Files.isDirectory(version.resolve("main"))) {
                    continue;
                }
                List<String> command = List.of("pg_ctlcluster", "--skip-systemctl-redirect",
                        version.getFileName().toString(), "main", "start");
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                boolean done = process.waitFor(60, TimeUnit.SECONDS);
                String output = new String(process.getInputStream().readAllBytes()).strip();
                started |= done && process.exitValue() == 0;
                outcomes.add(String.join(" ", command) + ": "
                        + (done ? "exit " + process.exitValue() : "timed out") + (output.isEmpty() ? "" : ", " + output));
            }
        } catch (IOException e) {
            outcomes.add("pg_ctlcluster failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcomes.add("interrupted");
        }
        if (outcomes.isEmpty()) {
            outcomes.add("no cluster under /etc/postgresql");
        }
        return started;
    }

    private static Connection connect(String url, String username, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(url, properties);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
