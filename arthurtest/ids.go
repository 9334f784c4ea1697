package arthurtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// newUUID returns a random version 4 UUID in canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(hex.EncodeToString(b[:]))
}

// newToken returns a new opaque bearer token.
func newToken() string { return "arthurtest-" + rand.Text() }

// newSecret returns a new client secret or one-time password.
func newSecret() string { return rand.Text() }

// formatUUID puts hyphens into 32 hex digits.
func formatUUID(h string) string {
	return strings.ToLower(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32])
}

// parseUUID reads a UUID as pydantic does (hyphenated, 32 hex digits, in
// braces or after urn:uuid:) and returns it in canonical form.
func parseUUID(s string) (string, bool) {
	c, reason := uuidReason(s)
	return c, reason == ""
}

// uuid4 is parseUUID that also requires version 4 and the RFC variant, as
// the contract's uuid4 format does.
func uuid4(s string) (string, bool) {
	c, ok := parseUUID(s)
	if !ok || c[14] != '4' || !strings.ContainsRune("89ab", rune(c[19])) {
		return "", false
	}
	return c, true
}

func isUUID4(s string) bool {
	_, ok := uuid4(s)
	return ok
}

// uuidReason returns the canonical UUID, or why s is not one, in the words
// of the Rust uuid crate that pydantic uses.
func uuidReason(in string) (canonical, reason string) {
	s, offset := in, 0
	switch {
	case strings.HasPrefix(s, "urn:uuid:"):
		s, offset = s[len("urn:uuid:"):], len("urn:uuid:")
	case len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}':
		s, offset = s[1:len(s)-1], 1
	}
	for i, r := range s {
		if r != '-' && !isHexDigit(r) {
			return "", fmt.Sprintf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, offset+i+1)
		}
	}
	if !strings.Contains(s, "-") {
		if len(s) != 32 {
			return "", fmt.Sprintf("invalid length: expected length 32 for simple format, found %d", len(s))
		}
		return formatUUID(s), ""
	}
	groups := strings.Split(s, "-")
	if len(groups) != 5 {
		return "", fmt.Sprintf("invalid group count: expected 5, found %d", len(groups))
	}
	for i, want := range [5]int{8, 4, 4, 4, 12} {
		if len(groups[i]) != want {
			return "", fmt.Sprintf("invalid group length in group %d: expected %d, found %d", i, want, len(groups[i]))
		}
	}
	return strings.ToLower(s), ""
}

func isHexDigit(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}

// specialUseDomains are the names email_validator (behind pydantic's
// EmailStr) refuses.
var specialUseDomains = []string{"arpa", "invalid", "local", "localhost", "onion", "test"}

// checkEmail validates an address roughly as pydantic's EmailStr does. It
// returns the address with its domain lowercased (pydantic's normalized
// form), or why it is not valid, in email_validator's words.
func checkEmail(email string) (normalized, reason string) {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return "", "An email address must have an @-sign."
	}
	local, domain := email[:at], email[at+1:]
	switch {
	case local == "":
		return "", "There must be something before the @-sign."
	case domain == "":
		return "", "There must be something after the @-sign."
	case len(email) > 254:
		return "", fmt.Sprintf("The email address is too long (%d characters too many).", len(email)-254)
	}
	if bad := badChars(local, isLocalChar); bad != "" {
		return "", "The email address contains invalid characters before the @-sign: " + bad + "."
	}
	switch {
	case strings.HasPrefix(local, "."):
		return "", "An email address cannot start with a period."
	case strings.HasSuffix(local, "."):
		return "", "An email address cannot have a period immediately before the @-sign."
	case strings.Contains(local, ".."):
		return "", "An email address cannot have two periods in a row."
	}
	if bad := badChars(domain, isDomainChar); bad != "" {
		return "", "The part after the @-sign contains invalid characters: " + bad + "."
	}
	switch {
	case strings.HasPrefix(domain, "."):
		return "", "An email address cannot have a period immediately after the @-sign."
	case strings.HasSuffix(domain, "."):
		return "", "An email address cannot end with a period."
	case strings.Contains(domain, ".."):
		return "", "An email address cannot have two periods in a row."
	case !strings.Contains(domain, "."):
		return "", "The part after the @-sign is not valid. It should have a period."
	}
	labels := strings.Split(strings.ToLower(domain), ".")
	for _, l := range labels {
		if strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", "The part after the @-sign is not valid. A label cannot start or end with a hyphen."
		}
	}
	tld := labels[len(labels)-1]
	if strings.IndexFunc(tld, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
		return "", "The part after the @-sign is not valid. It is not within a valid top-level domain."
	}
	if slices.Contains(specialUseDomains, tld) {
		return "", "The part after the @-sign is a special-use or reserved name that cannot be used with email."
	}
	return local + "@" + strings.ToLower(domain), ""
}

// badChars lists the characters of s that ok refuses, once each and in
// order, as email_validator shows them: 'c' for a printable character,
// SPACE, or U+XXXX.
func badChars(s string, ok func(rune) bool) string {
	var bad []rune
	for _, r := range s {
		if (r == utf8.RuneError || !ok(r)) && !slices.Contains(bad, r) {
			bad = append(bad, r)
		}
	}
	slices.Sort(bad)
	shown := make([]string, len(bad))
	for i, r := range bad {
		switch {
		case r == ' ':
			shown[i] = "SPACE"
		case unicode.IsPrint(r):
			shown[i] = "'" + string(r) + "'"
		default:
			shown[i] = fmt.Sprintf("U+%04X", r)
		}
	}
	return strings.Join(shown, ", ")
}

// isLocalChar accepts RFC 5322 atext, periods and printable non-ASCII
// letters (internationalized addresses).
func isLocalChar(r rune) bool {
	if r > 0x7f {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r)
}

// isDomainChar accepts letters, digits, hyphens and periods, and non-ASCII
// letters (internationalized domain names).
func isDomainChar(r rune) bool {
	if r > 0x7f {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.'
}
