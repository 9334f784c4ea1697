module github.com/arthur-sdk/arthur-go

go 1.24.0

require (
	github.com/go-faster/jx v1.2.0
	golang.org/x/oauth2 v0.35.0
)

require (
	github.com/go-faster/errors v0.7.1 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	golang.org/x/sys v0.1.0 // indirect
)

require (
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
