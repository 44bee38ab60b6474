// Connects with github.com/trinodb/trino-go-client through database/sql and prints the user
// ("HARNESS-USER: <user>"), or on failure one line "HARNESS-ERROR: {json}" from the client's
// error values: http_status from *trino.ErrQueryFailed (401 for a refused login; 200 when the
// query itself failed), error_name/error_code/message from *trino.ErrTrino (Trino's query error).
// Secrets come from the environment (HARNESS_PASSWORD, HARNESS_ACCESS_TOKEN); paths and names
// from flags.
package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/trinodb/trino-go-client/trino"
)

func main() {
	server := flag.String("server", "", "host:port")
	ca := flag.String("ca", "", "CA certificate (PEM)")
	user := flag.String("user", "", "user name (Basic auth user and X-Trino-User)")
	cert := flag.String("cert", "", "client certificate (PEM)")
	key := flag.String("key", "", "client key (PEM)")
	query := flag.String("sql", "SELECT current_user", "statement")
	flag.Parse()

	serverURL := url.URL{Scheme: "https", Host: *server}
	if password := os.Getenv("HARNESS_PASSWORD"); password != "" {
		serverURL.User = url.UserPassword(*user, password)
	} else if *user != "" {
		serverURL.User = url.User(*user)
	}
	// The client retries each request for 2 minutes by default: a coordinator that does not answer
	// would look like a hang. Transient 503s still get a few tries.
	retryTimeout, retryAttempts := 15*time.Second, 5
	config := trino.Config{
		ServerURI:         serverURL.String(),
		Source:            "trino-harness-go",
		SSLCertPath:       *ca,
		SSLClientCertPath: *cert,
		SSLClientKeyPath:  *key,
		AccessToken:       os.Getenv("HARNESS_ACCESS_TOKEN"),

		RequestRetryTimeout:     &retryTimeout,
		RequestRetryMaxAttempts: &retryAttempts,
	}
	dsn, err := config.FormatDSN()
	if err != nil {
		fail(err)
	}
	db, err := sql.Open("trino", dsn)
	if err != nil {
		fail(err)
	}
	defer db.Close()
	var current string
	if err := db.QueryRow(*query).Scan(&current); err != nil {
		fail(err)
	}
	fmt.Println("HARNESS-USER: " + current)
}

func fail(err error) {
	answer := map[string]any{
		"exception": fmt.Sprintf("%T", err), "message": err.Error(),
		"http_status": nil, "error_name": nil, "error_code": nil, "query_id": nil,
	}
	var failed *trino.ErrQueryFailed
	if errors.As(err, &failed) {
		if failed.StatusCode != 0 {
			answer["http_status"] = failed.StatusCode
		}
		if failed.Reason != nil {
			answer["message"] = failed.Reason.Error()
		}
	}
	var query *trino.ErrTrino
	if errors.As(err, &query) && query.ErrorName != "" {
		answer["error_name"] = query.ErrorName
		answer["error_code"] = query.ErrorCode
		answer["message"] = query.Message
		answer["failure_type"] = query.FailureInfo.Type
	}
	line, _ := json.Marshal(answer)
	fmt.Println("HARNESS-ERROR: " + string(line))
	os.Exit(1)
}
