// Writes the golden files the converted face-api.js ONNX models are tested
// against (models/convert/faceapi): it runs the original face-api.js nets
// with TF.js's WebAssembly backend on fixed inputs and records their outputs.
//
//   cd tools/faceapi-golden && npm ci && node golden.js
//
// Inputs: the public-domain fixture faces in testdata/faces. Each face is
// found with face-api.js's own SSD detector, cropped to its box, padded to a
// square and resized the way face-api.js does (NetInput.toBatchTensor), then
// rounded to 8-bit RGB and saved as PNG, so the Go tests feed the converted
// models exactly the tensor the original nets saw. A seeded noise image
// covers inputs far from any face. Two rectangular face crops also record
// face-api.js's own preprocessing (pad + bilinear resize) to check the Go
// port of it (faceapi.Preprocess).
//
// Output: testdata/faceapi-golden/golden.json and inputs/*.png.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const { tf } = faceapi;
const repo = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repo, 'testdata', 'faces');
const outDir = path.join(repo, 'testdata', 'faceapi-golden');
const modelDir = path.join(__dirname, 'node_modules', '@vladmandic', 'face-api', 'model');

const faces = [
  'obama_official_portrait_2012.jpg',
  'biden_2010_blue_room_crop.jpg',
  'eileen_collins_nasa_astronaut.png',
  'grace_hopper_512x512.jpg',
];
// Rectangular crops for the preprocessing check, scaled to at most this side.
const preprocessFaces = ['grace_hopper_512x512.jpg', 'eileen_collins_nasa_astronaut.png'];
const maxCropSide = 160;
const sampleEvery = 37;

// The weights must be the ones idkit converts: check them against the
// SHA-256 pinned in models/manifest.json.
function checkWeights() {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'models', 'manifest.json'), 'utf8'));
  const sums = {};
  for (const a of manifest.assets) {
    if (a.npm !== '@vladmandic/face-api') continue;
    const file = path.join(modelDir, path.basename(a.path));
    const sum = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    if (sum !== a.sha256) throw new Error(`${file}: sha256 ${sum}, manifest pins ${a.sha256}`);
    sums[path.basename(a.path)] = sum;
  }
  return sums;
}

function decode(file) {
  const buf = fs.readFileSync(file);
  let img;
  if (file.endsWith('.png')) {
    const p = PNG.sync.read(buf);
    img = { width: p.width, height: p.height, data: p.data };
  } else {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  }
  const rgb = new Int32Array(img.width * img.height * 3);
  for (let i = 0, j = 0; i < img.width * img.height; i++) {
    rgb[j++] = img.data[4 * i];
    rgb[j++] = img.data[4 * i + 1];
    rgb[j++] = img.data[4 * i + 2];
  }
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}

// toUint8 rounds a float image tensor [h,w,3] or [1,h,w,3] to 0..255.
function toUint8(t) {
  return tf.tidy(() => tf.clipByValue(tf.round(t), 0, 255).squeeze().cast('int32'));
}

function writePNG(name, t) {
  const [h, w] = t.shape;
  const data = t.dataSync();
  const png = new PNG({ width: w, height: h, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    png.data[4 * i] = data[3 * i];
    png.data[4 * i + 1] = data[3 * i + 1];
    png.data[4 * i + 2] = data[3 * i + 2];
    png.data[4 * i + 3] = 255;
  }
  const file = path.join('inputs', name);
  fs.writeFileSync(path.join(outDir, file), PNG.sync.write(png, { colorType: 2, deflateLevel: 9 }));
  return file;
}

// netInput is what face-api.js feeds its nets for an image tensor:
// NetInput.toBatchTensor (pad to a centred square, resize bilinearly).
function netInput(img3d, size) {
  return new faceapi.NetInput([img3d]).toBatchTensor(size, true);
}

const arr = (t) => Array.from(t.dataSync());

async function runNets(x112, x150) {
  const ag = await faceapi.nets.ageGenderNet.forward(x112);
  const pred = await faceapi.nets.ageGenderNet.predictAgeAndGender(x112);
  const desc = await faceapi.nets.faceRecognitionNet.forward(x150);
  const lmRaw = faceapi.nets.faceLandmark68Net.runNet(await faceapi.toNetInput(x112));
  const expr = await faceapi.nets.faceExpressionNet.forward(x112);
  const out = {
    age_gender: { age: arr(ag.age), gender: arr(ag.gender), prediction: pred },
    recognition: { descriptor: arr(desc) },
    landmark68: { landmarks: arr(lmRaw) },
    expression: { expressions: arr(expr) },
  };
  tf.dispose([ag.age, ag.gender, desc, lmRaw, expr]);
  return out;
}

// mulberry32: a small seeded PRNG, so the noise image is reproducible.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  await tf.setBackend('wasm');
  await tf.ready();
  const weights = checkWeights();
  for (const n of ['ssdMobilenetv1', 'ageGenderNet', 'faceRecognitionNet', 'faceLandmark68Net', 'faceExpressionNet']) {
    await faceapi.nets[n].loadFromDisk(modelDir);
  }
  fs.mkdirSync(path.join(outDir, 'inputs'), { recursive: true });

  const golden = {
    generator: 'tools/faceapi-golden/golden.js',
    face_api: faceapi.version,
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    weights,
    cases: [],
    preprocess: [],
  };

  for (const file of faces) {
    const img = decode(path.join(fixtures, file));
    const det = await faceapi.detectSingleFace(img, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }));
    if (!det) throw new Error(`${file}: no face found`);
    const box = det.box;
    const [H, W] = img.shape;
    const x0 = Math.max(0, Math.round(box.x));
    const y0 = Math.max(0, Math.round(box.y));
    const x1 = Math.min(W, Math.round(box.x + box.width));
    const y1 = Math.min(H, Math.round(box.y + box.height));
    const crop = tf.slice(img, [y0, x0, 0], [y1 - y0, x1 - x0, 3]);
    const base = path.basename(file, path.extname(file));
    const u112 = toUint8(netInput(crop, 112));
    const u150 = toUint8(netInput(crop, 150));
    const c = {
      name: base,
      source: path.join('testdata', 'faces', file),
      box: [x0, y0, x1 - x0, y1 - y0],
      score: det.score,
      input112: writePNG(`${base}_112.png`, u112),
      input150: writePNG(`${base}_150.png`, u150),
    };
    Object.assign(c, await runNets(u112.cast('float32').expandDims(0), u150.cast('float32').expandDims(0)));
    golden.cases.push(c);

    if (preprocessFaces.includes(file)) {
      const [h, w] = crop.shape;
      const f = Math.min(1, maxCropSide / Math.max(h, w));
      const small = toUint8(tf.image.resizeBilinear(crop.cast('float32'), [Math.round(h * f), Math.round(w * f)]));
      const input = netInput(small, 112);
      const all = input.dataSync();
      const samples = [];
      for (let i = 0; i < all.length; i += sampleEvery) samples.push(all[i]);
      golden.preprocess.push({
        name: base,
        crop: writePNG(`${base}_crop.png`, small),
        size: 112,
        sample_every: sampleEvery,
        samples,
        age_gender: await faceapi.nets.ageGenderNet.predictAgeAndGender(small),
      });
    }
    console.log(`${file}: box ${c.box} score ${det.score.toFixed(3)} age ${c.age_gender.prediction.age.toFixed(2)}`);
  }

  // Seeded noise in 3x3 blocks (it compresses; 150 = 50 blocks), the 112
  // input being the 150 one's top-left corner.
  const rand = mulberry32(20240601);
  const blocks = new Int32Array(50 * 50 * 3);
  for (let i = 0; i < blocks.length; i++) blocks[i] = Math.floor(rand() * 256);
  const n150 = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.tensor3d(blocks, [50, 50, 3], 'int32'), [150, 150]));
  const n112 = tf.slice(n150, [0, 0, 0], [112, 112, 3]);
  const nc = {
    name: 'noise',
    source: 'mulberry32(20240601) uniform 0..255 in 3x3 blocks',
    input112: writePNG('noise_112.png', n112),
    input150: writePNG('noise_150.png', n150),
  };
  Object.assign(nc, await runNets(n112.cast('float32').expandDims(0), n150.cast('float32').expandDims(0)));
  golden.cases.push(nc);

  fs.writeFileSync(path.join(outDir, 'golden.json'), `${JSON.stringify(golden, null, 1)}\n`);
  console.log(`wrote ${path.join(outDir, 'golden.json')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
