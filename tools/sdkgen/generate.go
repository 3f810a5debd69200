package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"

	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is how the generated files' headers name their generator.
const tool = "pulumi-kantata-sdkgen"

// generate returns every SDK file, keyed by its slash-separated path under sdk/ ("go/kantata/provider.go").
func generate(spec schema.PackageSpec) (map[string][]byte, error) {
	generators := []struct {
		language string
		generate func(*schema.Package) (map[string][]byte, error)
	}{
		{"go", func(pkg *schema.Package) (map[string][]byte, error) { return gogen.GeneratePackage(tool, pkg, nil) }},
		{"python", func(pkg *schema.Package) (map[string][]byte, error) {
			return pythongen.GeneratePackage(tool, pkg, nil, noReferences{})
		}},
		{"dotnet", func(pkg *schema.Package) (map[string][]byte, error) {
			return withLogo(func() (map[string][]byte, error) { return dotnetgen.GeneratePackage(tool, pkg, nil, nil) })
		}},
	}
	files := map[string][]byte{}
	for _, g := range generators {
		pkg, err := bind(spec)
		if err != nil {
			return nil, err
		}
		generated, err := g.generate(pkg)
		if err != nil {
			return nil, fmt.Errorf("generating the %s SDK: %w", g.language, err)
		}
		for name, content := range generated {
			if handOwned[g.language+"/"+name] {
				return nil, fmt.Errorf("the %s generator wrote %s, which is kept by hand", g.language, name)
			}
			files[g.language+"/"+name] = content
		}
	}
	// pyproject.toml names a README.md beside it, which the generator writes only inside the package.
	files["python/README.md"] = files["python/pulumi_kantata/README.md"]
	return files, nil
}

// withLogo runs the .NET generator, which downloads a logo for the NuGet package over HTTP, with every
// HTTP request answered locally by the package's own logo: generation reaches no network and gives the
// same bytes every time.
func withLogo(generate func() (map[string][]byte, error)) (map[string][]byte, error) {
	saved := http.DefaultClient.Transport
	http.DefaultClient.Transport = logoTransport{}
	defer func() { http.DefaultClient.Transport = saved }()
	return generate()
}

type logoTransport struct{}

func (logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("sdkgen answers only the .NET generator's logo download, not %s %s", req.Method, req.URL)
	}
	return &http.Response{
		Status:     "200 OK",
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"image/png"}},
		Body:       io.NopCloser(bytes.NewReader(logo())),
		Request:    req,
	}, nil
}

// logo draws the package's 64×64 icon, a white K on a round-cornered violet square.
func logo() []byte {
	const size = 64
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	violet := color.NRGBA{R: 0x5b, G: 0x2e, B: 0x91, A: 0xff}
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	inCorner := func(x, y int) bool {
		const r = 10
		cx, cy := min(max(x, r), size-1-r), min(max(y, r), size-1-r)
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) > r*r
	}
	for y := range size {
		for x := range size {
			switch {
			case inCorner(x, y):
				// transparent
			case x >= 18 && x < 26 && y >= 14 && y < 50, // the K's stem
				y >= 14 && y < 32 && abs(x-(26+(32-y))) < 5, // its upper arm
				y >= 32 && y < 50 && abs(x-(26+(y-32))) < 5: // its lower leg
				img.SetNRGBA(x, y, white)
			default:
				img.SetNRGBA(x, y, violet)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image into a buffer cannot fail
	}
	return buf.Bytes()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
