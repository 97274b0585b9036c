package teams

import (
	"strings"
	"testing"
)

const tenantGUID = "3c7d9e2a-5b1f-4e6a-8d2c-9f0e1a2b3c4d"

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		enabled bool
		errs    []string
		check   func(t *testing.T, c Config)
	}{
		{name: "OffWhenAddrUnset", env: map[string]string{"TEAMS_APP_ID": "x"}, check: func(t *testing.T, c Config) {
			if c.OpenIDMetadataURL != "https://login.botframework.com/v1/.well-known/openidconfiguration" ||
				c.Issuer != "https://api.botframework.com" ||
				c.TokenURL != "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token" ||
				c.TokenScope != "https://api.botframework.com/.default" {
				t.Errorf("defaults %+v", c)
			}
		}},
		{name: "OnNeedsCredentials", env: map[string]string{"DEALPILOT_TEAMS_ADDR": ":3978"}, enabled: true,
			errs: []string{"TEAMS_APP_ID is empty", "TEAMS_APP_PASSWORD is empty", "TEAMS_TENANT_ID is empty"}},
		{name: "OnNeedsPassword", env: map[string]string{"DEALPILOT_TEAMS_ADDR": ":3978", "TEAMS_APP_ID": "id", "TEAMS_TENANT_ID": tenantGUID}, enabled: true,
			errs: []string{"TEAMS_APP_PASSWORD is empty"}},
		{name: "OnNeedsTenant", env: map[string]string{"DEALPILOT_TEAMS_ADDR": ":3978", "TEAMS_APP_ID": "id", "TEAMS_APP_PASSWORD": "pw"}, enabled: true,
			errs: []string{"TEAMS_TENANT_ID is empty", "Tenant ID"}},
		{name: "TenantIsAGUID", env: map[string]string{"DEALPILOT_TEAMS_ADDR": ":3978", "TEAMS_APP_ID": "id", "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": "contoso.onmicrosoft.com"}, enabled: true,
			errs: []string{`TEAMS_TENANT_ID "contoso.onmicrosoft.com" is not a tenant id`}},
		{name: "TenantInUpperCase", enabled: true, env: map[string]string{"DEALPILOT_TEAMS_ADDR": ":3978", "TEAMS_APP_ID": "id", "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": " " + strings.ToUpper(tenantGUID)},
			check: func(t *testing.T, c Config) {
				if c.TenantID != tenantGUID {
					t.Errorf("tenant %q, want %q as Teams sends it", c.TenantID, tenantGUID)
				}
			}},
		{name: "SovereignCloud", enabled: true, env: map[string]string{
			"DEALPILOT_TEAMS_ADDR": ":3978", "TEAMS_APP_ID": "id", "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": tenantGUID,
			"TEAMS_OPENID_METADATA_URL": "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
			"TEAMS_ISSUER":              "https://api.botframework.us",
			"TEAMS_TOKEN_URL":           "https://login.microsoftonline.us/" + tenantGUID + "/oauth2/v2.0/token",
			"TEAMS_TOKEN_SCOPE":         "https://api.botframework.us/.default",
		}, check: func(t *testing.T, c Config) {
			want := Config{Addr: ":3978", AppID: "id", AppPassword: "pw", TenantID: tenantGUID,
				OpenIDMetadataURL: "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
				Issuer:            "https://api.botframework.us",
				TokenURL:          "https://login.microsoftonline.us/" + tenantGUID + "/oauth2/v2.0/token",
				TokenScope:        "https://api.botframework.us/.default"}
			if c != want {
				t.Errorf("got %+v\nwant %+v", c, want)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if c.Enabled() != tc.enabled {
				t.Errorf("enabled %v, want %v", c.Enabled(), tc.enabled)
			}
			for _, want := range tc.errs {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v, want %q", err, want)
				}
			}
			if len(tc.errs) == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}
