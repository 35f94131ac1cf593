"""Writes wrappers.gen.cpp: for every extern "C" kernel of the .cu files, a function that unpacks cuLaunchKernel's
void** parameter array into the kernel's typed parameters, and one that copies the parameters by value (what the real
driver does when a launch is captured into a graph), both registered by name (used by fake_cuda.cpp)."""
import re
import sys

out = []
for path in sys.argv[1:]:
    for m in re.finditer(r'extern "C" __global__ void (\w+)\(([^)]*)\)', open(path).read()):
        name, params = m.group(1), [p.strip() for p in m.group(2).split(",")]
        types = [p.rsplit(" ", 1)[0].strip() for p in params]
        args = [f"*({t}*)a[{i}]" for i, t in enumerate(types)]
        sizes = ", ".join(f"sizeof({t})" for t in types)
        out.append(f'static void call_{name}(void** a) {{ {name}({", ".join(args)}); }}')
        out.append(f'static int reg_{name} = (table()["{name}"] = call_{name}, sizes()[call_{name}] = {{ {sizes} }}, 0);')
print("\n".join(out))
