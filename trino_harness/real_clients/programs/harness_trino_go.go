// Connects with github.com/trinodb/trino-go-client through database/sql and prints the user.
// Secrets come from the environment (HARNESS_PASSWORD, HARNESS_ACCESS_TOKEN); paths and names
// from flags.
package main

import (
	"database/sql"
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
	fmt.Println("HARNESS-ERROR: " + err.Error())
	os.Exit(1)
}
