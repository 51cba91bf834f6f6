// The precompiled header needs a file to be compiled with; this one has nothing else.
