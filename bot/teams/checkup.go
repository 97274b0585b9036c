package teams

import (
	"context"
	"fmt"
)

// CheckToken gets an app token from the token endpoint (TEAMS_TOKEN_URL)
// with the app's id and password: what `dealpilot doctor` checks of the
// Teams side before anything is sent.
func (c *Client) CheckToken(ctx context.Context) error {
	if _, err := c.accessToken(ctx); err != nil {
		return fmt.Errorf("no token for app %s: %w", c.appID, err)
	}
	return nil
}
