/**
 * The classic PyTorch house-price snippet, written with this library:
 *
 *   model = HousePriceModel()            # fc1 = nn.Linear(5, 10), fc2 = nn.Linear(10, 1), ReLU
 *   criterion = nn.MSELoss()
 *   optimizer = optim.Adagrad(model.parameters(), lr=0.01)
 *   for epoch in range(100):
 *       loss = criterion(model(inputs), targets); optimizer.zero_grad(); loss.backward(); optimizer.step()
 *       if (epoch + 1) % 10 == 0: print(f'Epoch [{epoch+1}/100], Loss: {loss.item():.4f}')
 *
 * The snippet never says where `inputs` and `targets` come from; here they are five features of the
 * real Boston house prices (rooms per dwelling, % lower-status population, pupil-teacher ratio,
 * distance to employment centres, property tax), standardized, and the median price, standardized
 * too (so a loss of 1 is what predicting the mean price gives). `lossAndGradients` is the forward
 * pass plus loss.backward(); Adagrad here is exactly torch.optim.Adagrad.
 *
 * Run: npx tsx examples/house-prices.ts
 */
import { loadBostonRows } from '../src/data/node/index.js';
import { Adagrad, MlpRegressor } from '../src/index.js';

const FEATURES = [5, 12, 10, 7, 9]; // rm, lstat, ptratio, dis, tax in BOSTON_FEATURES order

function standardize(values: number[]): { z: number[]; mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { z: values.map((v) => (v - mean) / std), mean, std };
}

const { features, targets: prices } = loadBostonRows();
const columns = FEATURES.map((f) => standardize(features.map((row) => row[f])).z);
const inputs = new Float32Array(prices.length * FEATURES.length);
prices.forEach((_, r) => columns.forEach((column, c) => (inputs[r * FEATURES.length + c] = column[r])));
const price = standardize(prices);
const targets = Float32Array.from(price.z);

// Initialize the model, loss function, and optimizer
const model = new MlpRegressor({ inputs: 5, hidden: 10, seed: 1 }); // 5 inputs, 10 hidden units, 1 output
const optimizer = new Adagrad(model.parameters, { lr: 0.01 });

// Training loop
for (let epoch = 0; epoch < 100; epoch++) {
  // Forward pass, MSE loss and backward pass
  const { loss, gradients } = model.lossAndGradients(inputs, targets);
  // Optimize
  optimizer.step(gradients);

  if ((epoch + 1) % 10 === 0) console.log(`Epoch [${epoch + 1}/100], Loss: ${loss.toFixed(4)}`);
}

const { loss } = model.lossAndGradients(inputs, targets);
console.log(`Final RMSE: ${(Math.sqrt(loss) * price.std).toFixed(2)} thousand dollars`);
