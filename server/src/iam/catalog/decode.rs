//! Reads the embedded catalog file written by `server/data/iam/update.py` (format described there).

use super::*;

pub struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
    strings: Vec<&'static str>,
}

#[derive(Debug)]
pub struct DecodeError(pub &'static str);

impl Reader<'_> {
    fn num(&mut self) -> Result<usize, DecodeError> {
        let mut out: usize = 0;
        let mut shift = 0;
        loop {
            let b = *self
                .bytes
                .get(self.pos)
                .ok_or(DecodeError("truncated number"))?;
            self.pos += 1;
            out |= ((b & 0x7F) as usize) << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
            shift += 7;
            if shift > 56 {
                return Err(DecodeError("number too long"));
            }
        }
    }

    fn s(&mut self) -> Result<&'static str, DecodeError> {
        let i = self.num()?;
        self.strings
            .get(i)
            .copied()
            .ok_or(DecodeError("bad string index"))
    }

    fn strs(&mut self) -> Result<Box<[&'static str]>, DecodeError> {
        let n = self.num()?;
        let mut v = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            v.push(self.s()?);
        }
        Ok(v.into_boxed_slice())
    }

    fn count(&mut self) -> Result<usize, DecodeError> {
        let n = self.num()?;
        if n > self.bytes.len() {
            return Err(DecodeError("bad count"));
        }
        Ok(n)
    }
}

/// Inflates and decodes. The inflated bytes are leaked on purpose: the catalog lives for the whole process
/// and every name in it borrows from them, which keeps loading to a few allocations.
pub fn decode(compressed: &[u8]) -> Result<Catalog, DecodeError> {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(compressed)
        .map_err(|_| DecodeError("corrupt compressed data"))?;
    let raw: &'static [u8] = Box::leak(raw.into_boxed_slice());
    if raw.len() < 6 || &raw[..5] != b"LLIAM" || raw[5] != 1 {
        return Err(DecodeError("not a catalog file of format 1"));
    }
    let mut r = Reader {
        bytes: raw,
        pos: 6,
        strings: Vec::new(),
    };
    let blob_len = r.num()?;
    let blob = raw
        .get(r.pos..r.pos + blob_len)
        .ok_or(DecodeError("truncated strings"))?;
    let blob: &'static str =
        std::str::from_utf8(blob).map_err(|_| DecodeError("strings are not UTF-8"))?;
    r.pos += blob_len;
    let n = r.count()?;
    let mut strings = Vec::with_capacity(n);
    let mut at = 0usize;
    for _ in 0..n {
        let len = r.num()?;
        let s = blob
            .get(at..at + len)
            .ok_or(DecodeError("bad string length"))?;
        strings.push(s);
        at += len;
    }
    r.strings = strings;

    let source = r.s()?;
    let version = r.s()?;
    let date = r.s()?;
    let mut partitions = Vec::new();
    for _ in 0..r.count()? {
        let id = r.s()?;
        let regex = r.s()?;
        let regions = r.strs()?;
        partitions.push(Partition::new(id, regex, regions));
    }
    let mut globals = Vec::new();
    for _ in 0..r.count()? {
        let name = r.s()?;
        let ty = KeyType::from_code(r.num()?);
        let category = r.s()?;
        globals.push(ConditionKey::new(
            normalise_global(name),
            ty,
            NO_DOC,
            category,
        ));
    }
    let mut services = Vec::new();
    // Descriptions are numbered in file order: per service, its keys, then its actions.
    let mut next_doc: u32 = 0;
    for _ in 0..r.count()? {
        let prefix = r.s()?;
        let name = r.s()?;
        let mut keys = Vec::new();
        for _ in 0..r.count()? {
            let kname = r.s()?;
            let ty = KeyType::from_code(r.num()?);
            keys.push(ConditionKey::new(kname, ty, next_doc, ""));
            next_doc += 1;
        }
        let mut resources = Vec::new();
        for _ in 0..r.count()? {
            let rname = r.s()?;
            let formats = r.strs()?;
            let rkeys = r.strs()?;
            resources.push(ResourceType {
                name: rname,
                arns: formats.iter().map(|f| ArnTemplate::compile(f)).collect(),
                keys: rkeys,
            });
        }
        let mut actions = Vec::new();
        for _ in 0..r.count()? {
            let aname = r.s()?;
            let doc = next_doc;
            next_doc += 1;
            let access = Access(r.num()? as u8);
            let mut ares = Vec::new();
            for _ in 0..r.count()? {
                let idx = r.num()?;
                if idx >= resources.len() {
                    return Err(DecodeError("bad resource index"));
                }
                let required = r.num()? != 0;
                let keys = r.strs()?;
                let dependent = r.strs()?;
                ares.push(ActionResource {
                    resource: idx as u16,
                    required,
                    keys,
                    dependent,
                });
            }
            let akeys = r.strs()?;
            let dependent = r.strs()?;
            actions.push(Action {
                name: aname,
                doc,
                access,
                resources: ares.into_boxed_slice(),
                keys: akeys,
                dependent,
            });
        }
        services.push(Service {
            prefix,
            name,
            keys,
            resources,
            actions,
        });
    }
    // Optional trailing section: names since retired.
    let mut retired = Vec::new();
    if r.pos < r.bytes.len() {
        for _ in 0..r.count()? {
            let prefix = r.s()?;
            let whole = r.num()? != 0;
            let actions = r.strs()?;
            let keys = r.strs()?;
            retired.push(Retired {
                prefix,
                whole,
                actions,
                keys,
            });
        }
    }
    let mut c = Catalog::assemble(source, version, date, partitions, globals, services);
    c.retired = retired;
    Ok(c)
}

/// The global key list writes tag keys as `aws:PrincipalTag/tag-key`; the service lists use `${TagKey}`.
fn normalise_global(name: &'static str) -> &'static str {
    match name {
        "aws:PrincipalTag/tag-key" => "aws:PrincipalTag/${TagKey}",
        "aws:ResourceTag/tag-key" => "aws:ResourceTag/${TagKey}",
        "aws:RequestTag/tag-key" => "aws:RequestTag/${TagKey}",
        other => other,
    }
}

/// The descriptions file: every description in numbering order.
pub fn docs(compressed: &[u8]) -> Result<Vec<&'static str>, DecodeError> {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(compressed)
        .map_err(|_| DecodeError("corrupt compressed data"))?;
    let raw: &'static [u8] = Box::leak(raw.into_boxed_slice());
    if raw.len() < 7 || &raw[..6] != b"LLIAMD" || raw[6] != 1 {
        return Err(DecodeError("not a descriptions file of format 1"));
    }
    let mut r = Reader {
        bytes: raw,
        pos: 7,
        strings: Vec::new(),
    };
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.num()?;
        let bytes = raw
            .get(r.pos..r.pos + len)
            .ok_or(DecodeError("truncated description"))?;
        out.push(std::str::from_utf8(bytes).map_err(|_| DecodeError("description is not UTF-8"))?);
        r.pos += len;
    }
    Ok(out)
}
