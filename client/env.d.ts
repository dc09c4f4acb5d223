// Vite's client types: asset imports such as `file?url`.
/// <reference types="vite/client" />
