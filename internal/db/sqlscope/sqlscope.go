// Package sqlscope checks that SQL text filters every tenant table it
// touches by the bound tenant. It is used by tests: the scan of the domain
// packages' SQL literals (scan_test.go) and the tests that evaluate SQL
// fragments built at run time. It reads SQL with a small tokenizer, never
// runs it.
//
// The rule. A tenant table is a table whose CREATE TABLE in the migrations
// has a tenant_id column. In a piece of SQL, every reference to a tenant
// table (after FROM, JOIN, UPDATE, INSERT INTO, DELETE FROM or in a FROM
// list) must be tied to the tenant: its tenant_id is equal to @tenant
// (the parameter Tx.Raw and Tx.Exec bind), directly or through a chain of
// equalities between tenant_id columns of references that are tied, for
// example
//
//	FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND ...
//	WHERE m.tenant_id = @tenant
//
// An unqualified tenant_id means the one tenant table of its own SELECT (or
// UPDATE/DELETE), else of the enclosing one. An INSERT into a tenant table
// is tied when the value given for its tenant_id column is @tenant or a
// tied tenant_id. Common table expressions and derived tables count as
// tied: their own tables are checked where they are written. Anchors name
// tables that the caller filters by tenant outside the text: gorm's
// Tx.Table(name) adds "name.tenant_id = ?" with the transaction's tenant, so
// a fragment passed to that builder may tie to name.tenant_id.
//
// SQL keywords are recognised in capitals only (the house style), so that
// prose such as an error message is not read as SQL. Conditions are not
// weighed: an equality counts wherever it stands (an OR around it is left
// to review).
package sqlscope

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Hole stands in the text for a part only known at run time (a Go
// variable concatenated into the statement): it matches nothing.
const Hole = "\x00"

// TenantTables reads the Up sections of the migrations in dir of fsys, in
// order, and returns the tables that have a tenant_id column (following
// CREATE TABLE, DROP TABLE and ALTER TABLE … RENAME TO).
func TenantTables(fsys fs.FS, dir string) (map[string]bool, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	create := regexp.MustCompile(`(?i)^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\s*\(`)
	column := regexp.MustCompile(`(?i)^\s*tenant_id\s`)
	drop := regexp.MustCompile(`(?i)^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)
	rename := regexp.MustCompile(`(?i)^\s*ALTER\s+TABLE\s+([a-z_][a-z0-9_]*)\s+RENAME\s+TO\s+([a-z_][a-z0-9_]*)`)
	out := map[string]bool{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		table := ""
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "-- +goose Down") {
				break
			}
			if m := drop.FindStringSubmatch(line); m != nil {
				delete(out, strings.ToLower(m[1]))
			}
			if m := rename.FindStringSubmatch(line); m != nil && out[strings.ToLower(m[1])] {
				delete(out, strings.ToLower(m[1]))
				out[strings.ToLower(m[2])] = true
			}
			if m := create.FindStringSubmatch(line); m != nil {
				table = strings.ToLower(m[1])
				continue
			}
			if table == "" {
				continue
			}
			if column.MatchString(line) {
				out[table] = true
			}
			if strings.HasPrefix(strings.TrimSpace(line), ")") {
				table = ""
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlscope: no tenant tables in %s", dir)
	}
	return out, nil
}

// scope is one SELECT (or UPDATE, DELETE, INSERT … SELECT): the tables it
// names are what its unqualified columns refer to.
type scope struct {
	parent *scope
	refs   []int // indexes into checker.refs
}

type ref struct {
	table, alias string
	tenant       bool // a tenant table
	cte          bool // a common table expression
	node         int
	sc           *scope
	pos          int // token index
}

type checker struct {
	toks    []token
	tenants map[string]bool
	refs    []ref
	parent  []int // union-find over nodes; node 0 is the tenant
	ctes    map[string]bool
	// pending equalities and inserts, resolved once every reference is known
	eqs     [][2]operand
	inserts []insertTie
}

type operand struct {
	kind  int // 0 unknown, 1 @tenant, 2 qualified tenant_id, 3 unqualified tenant_id
	alias string
	sc    *scope
}

type insertTie struct {
	target int // ref index
	value  operand
}

func (c *checker) newNode() int {
	c.parent = append(c.parent, len(c.parent))
	return len(c.parent) - 1
}

func (c *checker) find(n int) int {
	for c.parent[n] != n {
		c.parent[n] = c.parent[c.parent[n]]
		n = c.parent[n]
	}
	return n
}

func (c *checker) union(a, b int) { c.parent[c.find(a)] = c.find(b) }

// Check returns one line per tenant table reference in q that is not tied
// to @tenant (or to an anchor table's tenant_id), nil when q is fine.
func Check(q string, tenantTables map[string]bool, anchors ...string) []string {
	c := &checker{toks: tokenize(q), tenants: tenantTables, ctes: map[string]bool{}}
	c.newNode() // node 0: the tenant
	top := &scope{}
	for _, a := range anchors {
		n := c.newNode()
		c.union(n, 0)
		c.refs = append(c.refs, ref{table: a, alias: a, node: n, sc: top, pos: -1})
		// anchors are visible by name everywhere but are no candidates for
		// unqualified tenant_id: the builder's own WHERE handles those
	}
	c.walk(top)
	for _, e := range c.eqs {
		a, b := c.resolve(e[0]), c.resolve(e[1])
		if a >= 0 && b >= 0 {
			c.union(a, b)
		}
	}
	for _, in := range c.inserts {
		if v := c.resolve(in.value); v >= 0 {
			c.union(c.refs[in.target].node, v)
		}
	}
	var out []string
	for _, r := range c.refs {
		if r.tenant && c.find(r.node) != c.find(0) {
			name := r.table
			if r.alias != r.table {
				name += " " + r.alias
			}
			out = append(out, "tenant table "+name+" is not filtered by @tenant")
		}
	}
	return out
}

// resolve maps an operand to its node, -1 when unknown.
func (c *checker) resolve(o operand) int {
	switch o.kind {
	case 1:
		return 0
	case 2:
		for s := o.sc; s != nil; s = s.parent {
			for _, i := range slices.Backward(s.refs) {
				if c.refs[i].alias == o.alias {
					return c.refs[i].node
				}
			}
		}
		for _, r := range c.refs {
			if r.pos < 0 && r.alias == o.alias { // anchor
				return r.node
			}
		}
		if c.ctes[o.alias] {
			return 0
		}
	case 3:
		for s := o.sc; s != nil; s = s.parent {
			var cand []int
			for _, i := range s.refs {
				if c.refs[i].tenant || c.refs[i].cte {
					cand = append(cand, i)
				}
			}
			if len(cand) == 1 {
				return c.refs[cand[0]].node
			}
			if len(cand) > 1 {
				return -1 // ambiguous
			}
		}
	}
	return -1
}

func (c *checker) at(i int) token {
	if i < 0 || i >= len(c.toks) {
		return token{kind: tPunct}
	}
	return c.toks[i]
}

func (c *checker) isKw(i int, w ...string) bool {
	t := c.at(i)
	return t.kind == tKeyword && slices.Contains(w, t.text)
}

// operandAt reads a tenant_id operand starting at token i; n is its length.
func (c *checker) operandAt(i int, sc *scope) (operand, int) {
	t := c.at(i)
	switch {
	case t.kind == tNamed && t.text == "@tenant":
		return operand{kind: 1}, 1
	case t.kind == tIdent && c.at(i+1).text == "." && c.at(i+2).kind == tIdent:
		if c.at(i+2).text == "tenant_id" {
			return operand{kind: 2, alias: t.text, sc: sc}, 3
		}
		return operand{}, 3
	case t.kind == tIdent && t.text == "tenant_id" && c.at(i-1).text != ".":
		return operand{kind: 3, sc: sc}, 1
	}
	return operand{}, 1
}

// matching returns the index of the parenthesis closing the one at i.
func (c *checker) matching(i int) int {
	depth := 0
	for j := i; j < len(c.toks); j++ {
		switch c.toks[j].text {
		case "(":
			if c.toks[j].kind == tPunct {
				depth++
			}
		case ")":
			if c.toks[j].kind == tPunct {
				depth--
				if depth == 0 {
					return j
				}
			}
		}
	}
	return len(c.toks)
}

// walk reads the whole token list, opening a scope at every parenthesised
// SELECT or WITH and a sibling scope at every set operator.
func (c *checker) walk(top *scope) {
	type frame struct {
		sc    *scope
		close int // token index of the closing parenthesis, or -1
	}
	stack := []frame{{top, -1}}
	inFrom, fromDepth, depth := false, 0, 0
	for i := 0; i < len(c.toks); i++ {
		cur := &stack[len(stack)-1]
		t := c.toks[i]
		if t.kind == tPunct && t.text == "(" {
			depth++
		} else if t.kind == tPunct && t.text == ")" {
			depth--
		}
		switch {
		case t.kind == tPunct && t.text == "(" && c.isKw(i+1, "SELECT", "WITH"):
			stack = append(stack, frame{&scope{parent: cur.sc}, c.matching(i)})
			inFrom = false
		case t.kind == tPunct && t.text == ")":
			if cur.close == i && len(stack) > 1 {
				stack = stack[:len(stack)-1]
				// a derived table's alias: AS x or x
				j := i + 1
				if c.isKw(j, "AS") {
					j++
				}
				if c.at(j).kind == tIdent {
					c.ctes[c.at(j).text] = true
				}
			}
		case c.isKw(i, "UNION", "INTERSECT", "EXCEPT"):
			cur.sc = &scope{parent: cur.sc.parent}
			inFrom = false
		case c.isKw(i, "WITH"):
			// WITH [RECURSIVE] name AS (…), name AS (…)
			j := i + 1
			if c.isKw(j, "RECURSIVE") {
				j++
			}
			for c.at(j).kind == tIdent {
				c.ctes[c.at(j).text] = true
				if c.at(j+1).text == "(" { // column list
					j = c.matching(j + 1)
				}
				j++
				if !c.isKw(j, "AS") || c.at(j+1).text != "(" {
					break
				}
				j = c.matching(j+1) + 1
				if c.at(j).text != "," {
					break
				}
				j++
			}
		case c.isKw(i, "FROM", "JOIN", "UPDATE"):
			if c.isKw(i, "UPDATE") && c.isKw(i-1, "DO") {
				continue // ON CONFLICT … DO UPDATE SET
			}
			if c.isKw(i, "FROM") {
				inFrom, fromDepth = true, depth
			}
			c.tableRef(i+1, cur.sc)
		case c.isKw(i, "INTO") && c.isKw(i-1, "INSERT"):
			c.insert(i+1, cur.sc)
		case t.kind == tPunct && t.text == "," && inFrom && depth == fromDepth:
			c.tableRef(i+1, cur.sc)
		case c.isKw(i, "WHERE", "ON", "GROUP", "ORDER", "LIMIT", "SET", "HAVING", "USING", "RETURNING", "SELECT", "VALUES"):
			inFrom = false
		case t.kind == tPunct && t.text == "=":
			a, _ := c.operandAtBack(i-1, cur.sc)
			b, _ := c.operandAt(i+1, cur.sc)
			if a.kind != 0 && b.kind != 0 {
				c.eqs = append(c.eqs, [2]operand{a, b})
			}
		}
	}
}

// operandAtBack reads the operand that ends at token i.
func (c *checker) operandAtBack(i int, sc *scope) (operand, int) {
	if c.at(i-1).text == "." && c.at(i-2).kind == tIdent {
		return c.operandAt(i-2, sc)
	}
	if c.at(i-1).text == "." {
		return operand{}, 1 // a hole's column
	}
	return c.operandAt(i, sc)
}

// tableRef records the table named at token i (if it is a table).
func (c *checker) tableRef(i int, sc *scope) int {
	t := c.at(i)
	if t.kind != tIdent || c.at(i+1).text == "(" || c.at(i+1).text == "." {
		return -1 // a subquery, a function, a hole or a schema-qualified name
	}
	alias := t.text
	j := i + 1
	if c.isKw(j, "AS") {
		j++
	}
	if c.at(j).kind == tIdent {
		alias = c.at(j).text
	}
	r := ref{table: t.text, alias: alias, tenant: c.tenants[t.text], node: c.newNode(), sc: sc, pos: i}
	if c.ctes[t.text] {
		// a CTE counts as tied: its own tables are checked where written
		c.union(r.node, 0)
		r.tenant, r.cte = false, true
	}
	sc.refs = append(sc.refs, len(c.refs))
	c.refs = append(c.refs, r)
	return len(c.refs) - 1
}

// insert records INSERT INTO table (columns) VALUES (…) | SELECT … and the
// value of its tenant_id column.
func (c *checker) insert(i int, sc *scope) {
	t := c.at(i)
	if t.kind != tIdent || !c.tenants[t.text] {
		return
	}
	r := ref{table: t.text, alias: t.text, tenant: true, node: c.newNode(), sc: nil, pos: i}
	c.refs = append(c.refs, r)
	target := len(c.refs) - 1
	j := i + 1
	if c.isKw(j, "AS") {
		j += 2
	}
	if c.at(j).text != "(" {
		return
	}
	end := c.matching(j)
	col := -1
	for k, n := j+1, 0; k < end; k++ {
		if c.at(k).text == "," {
			n++
		} else if c.at(k).text == "tenant_id" {
			col = n
		}
	}
	if col < 0 {
		return
	}
	j = end + 1
	switch {
	case c.isKw(j, "VALUES"):
		for j++; c.at(j).text == "("; {
			e := c.matching(j)
			items := c.split(j+1, e)
			if col >= len(items) {
				return
			}
			o, n := c.operandAt(items[col][0], sc)
			if n != items[col][1]-items[col][0] || o.kind != 1 {
				return
			}
			j = e + 1
			if c.at(j).text != "," {
				break
			}
			j++
		}
		if c.at(j-1).text == ")" {
			c.inserts = append(c.inserts, insertTie{target, operand{kind: 1}})
		}
	case c.isKw(j, "SELECT"):
		k := j + 1
		if c.isKw(k, "DISTINCT") {
			k++
		}
		e := k
		for depth := 0; e < len(c.toks); e++ {
			switch {
			case c.at(e).text == "(":
				depth++
			case c.at(e).text == ")":
				depth--
			}
			if depth == 0 && c.isKw(e, "FROM") || depth < 0 {
				break
			}
		}
		items := c.split(k, e)
		if col >= len(items) {
			return
		}
		o, n := c.operandAt(items[col][0], sc)
		if n != items[col][1]-items[col][0] {
			return
		}
		// the SELECT's tables are in the INSERT's scope (the target is not)
		c.inserts = append(c.inserts, insertTie{target, o})
	}
}

// split cuts tokens [from, to) at top-level commas into [start, end) pairs.
func (c *checker) split(from, to int) [][2]int {
	var out [][2]int
	start, depth := from, 0
	for k := from; k < to; k++ {
		switch c.at(k).text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, [2]int{start, k})
				start = k + 1
			}
		}
	}
	return append(out, [2]int{start, to})
}
