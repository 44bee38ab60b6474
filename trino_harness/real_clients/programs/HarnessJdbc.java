// Connects the way a BI tool does: a JDBC URL with the non-secret properties, plus a Properties
// object loaded from a 0600 file (password, accessToken, key store password). Prints the user.
// Usage: java -cp <this>:<trino-jdbc.jar> HarnessJdbc <jdbc-url> <properties-file> <sql>
import java.io.FileInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

public final class HarnessJdbc {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(args[1])) {
            properties.load(in);
        }
        Driver driver = DriverManager.getDriver(args[0]);
        System.out.println("HARNESS-DRIVER: " + driver.getClass().getName() + " " + driver.getMajorVersion());
        try (Connection connection = DriverManager.getConnection(args[0], properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(args[2])) {
            rows.next();
            System.out.println("HARNESS-USER: " + rows.getString(1));
        } catch (SQLException e) {
            StringBuilder message = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                message.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" <- ");
            }
            System.out.println("HARNESS-ERROR: " + message);
            System.exit(1);
        }
    }
}
