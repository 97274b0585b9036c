package teams

import (
	"errors"
	"fmt"
	"strings"
)

// Microsoft's public values (the Bot Framework in the public cloud). Each
// can be changed by its environment variable: sovereign clouds have their
// own, and tests point them at a local Teams (bot/teams/teamstest).
const (
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultIssuer            = "https://api.botframework.com"
	DefaultTokenURL          = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
	DefaultTokenScope        = "https://api.botframework.com/.default"
)

// Config is the Teams side's configuration, from the environment.
type Config struct {
	// Addr is where the messaging endpoint listens (DEALPILOT_TEAMS_ADDR);
	// Teams is off when it is empty.
	Addr string

	AppID       string // TEAMS_APP_ID: the bot's Microsoft App ID (the tokens' audience)
	AppPassword string // TEAMS_APP_PASSWORD: its client secret
	TenantID    string // TEAMS_TENANT_ID: the one tenant served (others refused), for 1:1 conversations the bot opens itself; required

	OpenIDMetadataURL string // TEAMS_OPENID_METADATA_URL
	Issuer            string // TEAMS_ISSUER
	TokenURL          string // TEAMS_TOKEN_URL
	TokenScope        string // TEAMS_TOKEN_SCOPE
}

// Enabled reports whether Teams is on (DEALPILOT_TEAMS_ADDR is set).
func (c Config) Enabled() bool { return c.Addr != "" }

// ConfigFromEnv reads the configuration with getenv (os.Getenv). With
// DEALPILOT_TEAMS_ADDR unset Teams is off and nothing else is required;
// with it set, TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID must be
// set too. The tenant is required rather than learnt: Microsoft signs the
// traffic of any tenant where someone sideloaded a manifest naming the
// bot, so the first tenant to write need not be the company's; an admin
// who runs dealpilot for one company knows its tenant id.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	or := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:              getenv("DEALPILOT_TEAMS_ADDR"),
		AppID:             getenv("TEAMS_APP_ID"),
		AppPassword:       getenv("TEAMS_APP_PASSWORD"),
		TenantID:          strings.ToLower(strings.TrimSpace(getenv("TEAMS_TENANT_ID"))),
		OpenIDMetadataURL: or("TEAMS_OPENID_METADATA_URL", DefaultOpenIDMetadataURL),
		Issuer:            or("TEAMS_ISSUER", DefaultIssuer),
		TokenURL:          or("TEAMS_TOKEN_URL", DefaultTokenURL),
		TokenScope:        or("TEAMS_TOKEN_SCOPE", DefaultTokenScope),
	}
	if !c.Enabled() {
		return c, nil
	}
	var errs []error
	if c.AppID == "" {
		errs = append(errs, fmt.Errorf("DEALPILOT_TEAMS_ADDR is set but TEAMS_APP_ID is empty: set it to the bot's Microsoft App ID"))
	}
	if c.AppPassword == "" {
		errs = append(errs, fmt.Errorf("DEALPILOT_TEAMS_ADDR is set but TEAMS_APP_PASSWORD is empty: set it to the bot's client secret"))
	}
	switch {
	case c.TenantID == "":
		errs = append(errs, fmt.Errorf("DEALPILOT_TEAMS_ADDR is set but TEAMS_TENANT_ID is empty: set it to your Microsoft 365 tenant id (Entra admin center, Overview, Tenant ID); the bot answers that tenant only"))
	case !entraID.MatchString(c.TenantID):
		errs = append(errs, fmt.Errorf("TEAMS_TENANT_ID %q is not a tenant id: set the GUID (Entra admin center, Overview, Tenant ID, e.g. 3c7d9e2a-5b1f-4e6a-8d2c-9f0e1a2b3c4d), not a domain name", c.TenantID))
	}
	return c, errors.Join(errs...)
}
