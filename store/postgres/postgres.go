package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config configures a Store.
type Config struct {
	// DSN is a libpq connection string or URL. Required.
	DSN string
	// Schema, when set, is created if missing and used as the search path
	// for every connection: one database can host several idkit
	// deployments, or test runs, side by side.
	Schema string
	// MaxConns caps the pool; zero means pgxpool's default.
	MaxConns int32
}

// Store is the PostgreSQL implementation of every platform store.
type Store struct {
	pool *pgxpool.Pool
}

var (
	_ tenancy.TenantStore = (*Store)(nil)
	_ tenancy.KeyStore    = (*Store)(nil)
	_ billing.Ledger      = (*Store)(nil)
	_ audit.Store         = (*Store)(nil)
)

// Open connects, creates the schema if asked, and applies migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	pc, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	if cfg.Schema != "" {
		if err := createSchema(ctx, pc.ConnConfig, cfg.Schema); err != nil {
			return nil, err
		}
		pc.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func createSchema(ctx context.Context, cc *pgx.ConnConfig, schema string) error {
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize())
	if err != nil {
		return fmt.Errorf("postgres: create schema: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool exposes the connection pool, e.g. for River or health checks.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// migrate applies every embedded migration not yet recorded, in one
// transaction under an advisory lock so that nodes starting together do
// not race.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.idkit_migrations'))`); err != nil {
			return fmt.Errorf("postgres: migration lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("postgres: migrations table: %w", err)
		}
		for _, name := range names {
			base := strings.TrimPrefix(name, "migrations/")
			v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
			if err != nil {
				return fmt.Errorf("postgres: migration %s has no number", base)
			}
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, v).Scan(&done); err != nil {
				return err
			}
			if done {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", base, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, v, base); err != nil {
				return err
			}
		}
		return nil
	})
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func notFound(what, id string) error { return fmt.Errorf("%s %s: %w", what, id, tenancy.ErrNotFound) }

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromNullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func encodeJSON(v any) ([]byte, error) { return json.Marshal(v) }

// decodeMap decodes a JSON object, returning nil for an empty one.
func decodeMap[K ~string, V any](b []byte) (map[K]V, error) {
	var m map[K]V
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// oneRow turns "no row changed" into ErrNotFound.
func oneRow(tag pgconn.CommandTag, err error, what, id string) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound(what, id)
	}
	return nil
}
