package tenancy

import "slices"

// Module names a billable, scopable capability of the API.
type Module string

// The modules idkit bills and scopes keys by.
const (
	ModuleLiveness   Module = "liveness"
	ModuleOCR        Module = "ocr"
	ModuleValidation Module = "validation"
	ModuleFaceMatch  Module = "facematch"
	ModuleAge        Module = "age"
	// ModuleWorkflow is a whole e-KYC or age-verification workflow, billed
	// as the sum of its modules with discount tiers.
	ModuleWorkflow Module = "workflow"
)

// ScopeAll in a key's scopes grants every module.
const ScopeAll Module = "*"

// Modules lists every module, in a stable order.
func Modules() []Module {
	return []Module{ModuleLiveness, ModuleOCR, ModuleValidation, ModuleFaceMatch, ModuleAge, ModuleWorkflow}
}

// Valid reports whether m is a known module.
func (m Module) Valid() bool { return slices.Contains(Modules(), m) }
