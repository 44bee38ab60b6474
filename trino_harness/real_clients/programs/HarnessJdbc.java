// Connects the way a BI tool does: a JDBC URL with the non-secret properties, plus a Properties
// object loaded from a 0600 file (password, accessToken, key store password). Prints the user
// ("HARNESS-USER: <user>"), or on failure one line "HARNESS-ERROR: {json}" built from the driver's
// exception, never from its free text alone:
//   http_status  401 when the chain holds the driver's ClientException "Authentication failed[: ...]"
//                (trino-client's StatementClientV1.requestFailedException: made for HTTP 401 only)
//   query_id, error_code, error_name, failure_type, message
//                a failed query (ResultUtils.resultsException: "Query failed (#<id>): <message>",
//                vendor code = Trino's error code, cause = the server's failure)
//   exception    the exception chain's classes, for the evidence
// Usage: java -cp <this>:<trino-jdbc.jar> HarnessJdbc <jdbc-url> <properties-file> <sql>
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class HarnessJdbc {
    private static final Pattern QUERY_FAILED = Pattern.compile("Query failed \\(#([^)]*)\\): (.*)", Pattern.DOTALL);
    private static final String LOGIN_REFUSED = "Authentication failed";
    private static final int PERMISSION_DENIED = 4; // io.trino.spi.StandardErrorCode.PERMISSION_DENIED

    public static void main(String[] args) {
        try {
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
            }
        } catch (Throwable e) {
            System.out.println("HARNESS-ERROR: " + json(describe(e)));
            System.exit(1);
        }
    }

    static Map<String, Object> describe(Throwable e) {
        Map<String, Object> answer = new LinkedHashMap<>();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(chain.length() == 0 ? "" : " <- ").append(t.getClass().getName());
        }
        answer.put("exception", chain.toString());
        answer.put("message", String.valueOf(e.getMessage()));
        answer.put("http_status", null);
        answer.put("error_name", null);
        answer.put("error_code", null);
        answer.put("query_id", null);
        Matcher failed = e instanceof SQLException && e.getMessage() != null ? QUERY_FAILED.matcher(e.getMessage()) : null;
        if (failed != null && failed.matches()) {
            int code = ((SQLException) e).getErrorCode();
            answer.put("query_id", failed.group(1));
            answer.put("message", failed.group(2));
            answer.put("error_code", code);
            Object failure = call(e.getCause(), "getFailureInfo");
            answer.put("failure_type", call(failure, "getType"));
            Object name = call(call(failure, "getErrorInfo"), "getName");
            answer.put("error_name", name != null ? name : code == PERMISSION_DENIED ? "PERMISSION_DENIED" : null);
            return answer;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t.getClass().getSimpleName().equals("ClientException") && message != null
                    && (message.equals(LOGIN_REFUSED) || message.startsWith(LOGIN_REFUSED + ": "))) {
                answer.put("http_status", 401);
                answer.put("message", message);
            }
        }
        return answer;
    }

    // A public no-argument getter of the driver's (shaded) client classes, or null
    private static Object call(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method getter = target.getClass().getMethod(method);
            return getter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String json(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            out.append(out.length() == 1 ? "" : ", ").append(quote(field.getKey())).append(": ");
            Object value = field.getValue();
            out.append(value == null ? "null" : value instanceof Integer ? value.toString() : quote(value.toString()));
        }
        return out.append("}").toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
