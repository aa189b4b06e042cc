module github.com/idkit-dev/idkit

go 1.26.0

require github.com/stretchr/testify v1.12.1

require (
	github.com/yalue/onnxruntime_go v1.27.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
