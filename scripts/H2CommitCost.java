import java.sql.*;
import java.nio.file.*;
public class H2CommitCost {
    public static void main(String[] a) throws Exception {
        for (String delay : new String[] {"500", "0", "500", "0"}) {
            Path dir = Files.createTempDirectory("h2bench");
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=" + delay, "sa", "")) {
                c.createStatement().execute("create table metric(job int, iteration int, metrics varchar(4000))");
                c.createStatement().execute("create table job(id int primary key, iteration int)");
                c.createStatement().execute("insert into job values (1, 0)");
                c.setAutoCommit(false);
                String json = "{\"x\":0.123456789}".repeat(60);
                PreparedStatement insert = c.prepareStatement("insert into metric values (1, ?, ?)");
                PreparedStatement update = c.prepareStatement("update job set iteration = ? where id = 1");
                int n = 2000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    insert.setInt(1, i); insert.setString(2, json); insert.executeUpdate();
                    update.setInt(1, i); update.executeUpdate();
                    c.commit();
                }
                double perIteration = (System.nanoTime() - start) / 1e6 / n;
                System.out.printf("WRITE_DELAY=%s: %.3f ms per iteration's commit (metric row + job row)%n", delay, perIteration);
            }
        }
    }
}
