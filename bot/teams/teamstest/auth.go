package teamstest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// handleMetadata serves the OpenID metadata document.
func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.metadataFetches++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                s.issuer,
		"authorization_endpoint":                s.base + "/v1/.well-known/authorize",
		"jwks_uri":                              s.KeysURL(),
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
	})
}

// handleKeys serves the JWKS: RSA keys with Bot Framework endorsements.
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.keysFetches++
	keys := []any{s.endorsed.jwk(), s.unendorsed.jwk()}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// handleToken is the client-credentials token endpoint. As on Microsoft
// Entra: a form body, grant_type client_credentials, the registered client
// id and secret (invalid_client otherwise, 401), and the Bot Framework
// scope (invalid_scope, 400).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	if tenant != "botframework.com" && tenant != s.tenantID {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_tenant", "tenant "+tenant+" not found"))
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_request", "the request body must be form-encoded"))
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_request", "unreadable form"))
		return
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		writeJSON(w, http.StatusBadRequest, oauthError("unsupported_grant_type", "grant_type must be client_credentials"))
		return
	case r.PostForm.Get("client_id") != s.appID:
		writeJSON(w, http.StatusBadRequest, oauthError("unauthorized_client", "application not found in the directory"))
		return
	case r.PostForm.Get("client_secret") != s.appPassword:
		writeJSON(w, http.StatusUnauthorized, oauthError("invalid_client", "invalid client secret provided"))
		return
	case r.PostForm.Get("scope") != s.scope:
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_scope", "the provided scope is not valid"))
		return
	}
	tok := randomToken()
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.tokenLifetime)
	s.tokensIssued++
	s.notifyLocked()
	s.mu.Unlock()
	secs := int(s.tokenLifetime / time.Second)
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     secs,
		"ext_expires_in": secs,
		"access_token":   tok,
	})
}

func oauthError(code, desc string) map[string]any {
	return map[string]any{"error": code, "error_description": desc}
}

// authorized reports whether the request carries a live access token.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.now().Before(exp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
