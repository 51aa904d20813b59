package tenant

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type gormDB = gorm.DB

var forUpdate = clause.Locking{Strength: "UPDATE"}
