package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const userHZ = 100

// ProcCPU returns the CPU time (user + system, all threads) process pid has
// used so far, read from /proc (Linux).
func ProcCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	_, cpu, err := parseStat(b)
	return cpu, err
}

// CommCPU returns the CPU time used so far by all live processes whose
// command name is comm (for example every PostgreSQL backend: "postgres").
func CommCPU(comm string) time.Duration {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	var total time.Duration
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the process ended meanwhile
		}
		if name, cpu, err := parseStat(b); err == nil && name == comm {
			total += cpu
		}
	}
	return total
}

// parseStat returns the command name and utime+stime of a /proc/<pid>/stat line.
func parseStat(b []byte) (string, time.Duration, error) {
	open, closing := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return "", 0, fmt.Errorf("load: malformed /proc stat line")
	}
	// After the name: state(3) ppid(4) ... utime(14) stime(15), counted from pid(1).
	fields := bytes.Fields(b[closing+1:])
	if len(fields) < 13 {
		return "", 0, fmt.Errorf("load: short /proc stat line")
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil {
			return "", 0, fmt.Errorf("load: /proc stat: %w", err)
		}
		ticks += n
	}
	return string(b[open+1 : closing]), time.Duration(ticks) * time.Second / userHZ, nil
}

// CPU is a snapshot of the CPU time used by the processes a benchmark involves.
type CPU struct {
	Server   time.Duration // the HTTP server under test
	Postgres time.Duration // every PostgreSQL process on the machine
	Self     time.Duration // this load generator
}

// SampleCPU takes a snapshot; serverPID 0 leaves Server at zero.
func SampleCPU(serverPID int) CPU {
	var c CPU
	if serverPID > 0 {
		c.Server, _ = ProcCPU(serverPID)
	}
	c.Postgres = CommCPU("postgres")
	c.Self, _ = ProcCPU(os.Getpid())
	return c
}

// Sub returns c - earlier.
func (c CPU) Sub(earlier CPU) CPU {
	return CPU{Server: c.Server - earlier.Server, Postgres: c.Postgres - earlier.Postgres, Self: c.Self - earlier.Self}
}

// Add returns c + other.
func (c CPU) Add(other CPU) CPU {
	return CPU{Server: c.Server + other.Server, Postgres: c.Postgres + other.Postgres, Self: c.Self + other.Self}
}

// PerOp returns d divided over n operations, in microseconds.
func PerOp(d time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(n)
}
