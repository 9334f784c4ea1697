package arthurtest

import (
	"fmt"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

var (
	sampleFirstNames = []string{
		"Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Margaret", "Dennis", "Frances",
		"Ken", "Radia", "Linus", "Hedy", "Tim", "Annie", "John", "Joan", "Niklaus", "Shafi",
	}
	sampleLastNames = []string{
		"Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Ritchie", "Allen",
		"Thompson", "Perlman", "Torvalds", "Lamarr", "Berners-Lee", "Easley", "McCarthy", "Clarke", "Wirth", "Goldwasser",
	}
)

// SeedUsers adds n people with sample names and unique @example.com
// emails, created a minute apart and ending at the server's current time,
// and returns them in order. The same n gives the same names and emails.
func SeedUsers(s *Server, n int) ([]arthur.User, error) {
	now := s.Now()
	out := make([]arthur.User, 0, max(n, 0))
	for i := range n {
		first := sampleFirstNames[i%len(sampleFirstNames)]
		last := sampleLastNames[(i*7+i/len(sampleFirstNames))%len(sampleLastNames)]
		local := strings.ToLower(first + "." + strings.ReplaceAll(last, "-", ""))
		if i >= len(sampleFirstNames) {
			local += fmt.Sprint(i)
		}
		email := local + "@example.com"
		if _, taken := s.userByEmail(email); taken {
			email = fmt.Sprintf("%s.%d@example.com", local, i)
		}
		created := now.Add(-time.Duration(n-1-i) * time.Minute)
		u, err := s.TryAddUser(arthur.User{FirstName: first, LastName: arthur.Ptr(last), Email: &email, CreatedAt: created})
		if err != nil {
			return out, fmt.Errorf("arthurtest: SeedUsers: %w", err)
		}
		out = append(out, u)
	}
	return out, nil
}

// SeedDemo fills s with a small organization to look at: 24 people (see
// SeedUsers), the service accounts "ci-pipeline" and "nightly-export", and
// a data plane user, "engine-1".
func SeedDemo(s *Server) error {
	if _, err := SeedUsers(s, 24); err != nil {
		return err
	}
	for _, name := range []string{"ci-pipeline", "nightly-export"} {
		if _, err := s.AddServiceAccount(name); err != nil {
			return fmt.Errorf("arthurtest: SeedDemo: %w", err)
		}
	}
	if _, err := s.TryAddUser(arthur.User{FirstName: "engine-1", UserType: arthur.UserTypeDataPlane}); err != nil {
		return fmt.Errorf("arthurtest: SeedDemo: %w", err)
	}
	return nil
}

func (s *Server) userByEmail(email string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byEmail[strings.ToLower(email)]
	return id, ok
}
