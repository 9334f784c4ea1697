package arthur

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ValidationError is one problem in a 422 answer.
type ValidationError struct {
	// Loc is where the problem is, such as ["body", "email"] or
	// ["query", "user_ids", 0]: each item is a string or an int.
	Loc []any `json:"loc"`
	// Msg says what is wrong.
	Msg string `json:"msg"`
	// Type is pydantic's error type, such as "missing" or "value_error".
	Type string `json:"type"`
	// Input is the value the server refused, when it says.
	Input any `json:"input,omitempty"`
	// Ctx holds the error's parameters, when the server gives them.
	Ctx map[string]any `json:"ctx,omitempty"`
}

// String returns "body.email: value is not a valid email address".
func (v ValidationError) String() string {
	locs := make([]string, len(v.Loc))
	for i, l := range v.Loc {
		locs[i] = fmt.Sprint(l)
	}
	if len(locs) == 0 {
		return v.Msg
	}
	return strings.Join(locs, ".") + ": " + v.Msg
}

// UnmarshalJSON decodes Loc items as string or int.
func (v *ValidationError) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var w struct {
		Loc   []json.RawMessage `json:"loc"`
		Msg   string            `json:"msg"`
		Type  string            `json:"type"`
		Input any               `json:"input"`
		Ctx   map[string]any    `json:"ctx"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	loc := make([]any, len(w.Loc))
	for i, raw := range w.Loc {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			loc[i] = s
			continue
		}
		n, err := strconv.Atoi(string(raw))
		if err != nil {
			return fmt.Errorf("ValidationError: loc[%d] is neither a string nor an integer", i)
		}
		loc[i] = n
	}
	*v = ValidationError{Loc: loc, Msg: w.Msg, Type: w.Type, Input: w.Input, Ctx: w.Ctx}
	return nil
}
