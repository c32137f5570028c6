package postgres_test

import (
	"testing"

	"github.com/shujiao/shujiao/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
