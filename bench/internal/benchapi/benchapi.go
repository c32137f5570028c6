// Package benchapi holds what the benchmark programs (bench/loadbench,
// bench/sealbench) share to talk to a `shujiao serve` under test.
package benchapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Send sends req with token as its bearer token and decodes a JSON answer
// into out (nil: the body is read and dropped). A status of 300 or more is
// an error naming the method, the path, the status and the body.
func Send(client *http.Client, req *http.Request, token string, out any) error {
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
