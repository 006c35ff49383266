package identity

import (
	"strconv"
	"strings"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

func itoa(i int) string { return strconv.Itoa(i) }

func indexAt(s string) int { return strings.LastIndex(s, "@") }

func rolesValue(r []string) db.StringArray { return db.StringArray(r) }
