package arthur

import (
	"fmt"
	"time"
)

// naiveLayout is a date-time with no zone, as pydantic writes a naive
// datetime. The SDK reads it as UTC.
const naiveLayout = "2006-01-02T15:04:05.999999999"

// parseTimestamp reads a date-time as the API writes it: RFC 3339 with
// fractional seconds and "Z" or an offset, or with no zone at all (UTC).
func parseTimestamp(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(naiveLayout, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date-time %q", s)
	}
	return t, nil
}
