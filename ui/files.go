package ui

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2/storage"
)

// writeFileInto writes the file name in dir through a temporary file
// renamed into place, so that a viewer never opens half of it, and
// returns its path. dir is made if missing.
func writeFileInto(dir, name string, write func(io.Writer) error) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return "", err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	path := filepath.Join(dir, name)
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
}

// cacheFolder is the folder sub of Frontdesk in the user's cache folder,
// where reports and files are written to be opened.
func cacheFolder(sub string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find a folder for the file: %w", err)
	}
	return filepath.Join(cache, "frontdesk", sub), nil
}

// openPath opens the file at path in the desktop's viewer through open
// (the app's OpenURL).
func openPath(open func(*url.URL) error, path string) error {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return open(u)
}
